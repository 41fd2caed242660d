// How much CPU other work took during a real-time measurement: the CPU time of every process
// this test can see (/proc/<pid>/stat), split into this Playwright worker with the browser it
// launched, and everything else (another worker's browser decoding video, a build). A
// dropped-frame count means little when other work had the cores, so the caller reports the
// figures and measures again. Linux only: elsewhere, null.
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';

export interface CpuSample {
  /** Clock ticks elapsed on all cores together since boot (/proc/stat). */
  elapsed: number;
  /** utime + stime and parent of every visible process. */
  processes: Map<number, { ticks: number; parent: number }>;
}

export interface CpuUsage {
  /** Share of the machine's capacity used by this worker and its browser (0-1). */
  ours: number;
  /** Share used by every other process visible here (0-1). */
  others: number;
  cores: number;
}

export function sampleCpu(): CpuSample | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const processes = new Map<number, { ticks: number; parent: number }>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // The command name (field 2) is in parentheses and may hold spaces: split after it.
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        processes.set(Number(entry), { parent: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) });
      } catch {
        // exited meanwhile
      }
    }
    return { elapsed: fields.reduce((a, b) => a + b, 0), processes };
  } catch {
    return null;
  }
}

/** CPU used between two samples by this process with its descendants, and by the others. */
export function cpuUsage(before: CpuSample | null, after: CpuSample | null): CpuUsage | null {
  if (!before || !after || after.elapsed <= before.elapsed) return null;
  const ours = new Set<number>([process.pid]);
  // Parents are listed before most children, but not always: repeat until nothing is added.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of after.processes) {
      if (!ours.has(pid) && ours.has(p.parent)) {
        ours.add(pid);
        grew = true;
      }
    }
  }
  let mine = 0;
  let theirs = 0;
  for (const [pid, p] of after.processes) {
    const used = p.ticks - (before.processes.get(pid)?.ticks ?? 0);
    if (ours.has(pid)) mine += used;
    else theirs += used;
  }
  const capacity = after.elapsed - before.elapsed;
  return { ours: mine / capacity, others: Math.max(0, theirs) / capacity, cores: cpus().length };
}
