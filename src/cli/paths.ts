// `tessera paths <programme.json> [--context k=v …]`: every narrative path, branching at each
// viewer choice and following conditions under the context (declared defaults elsewhere).
import { loadEngineNode } from '../engine/load-node';
import { CliError, parseCommandLine, type Command } from './command';
import { loadProgrammeOrFail, parseContext } from './programme-input';

export const pathsCommand: Command = {
  synopsis: '<programme.json> [--context key=value …] [--json]',
  summary: 'Lists narrative paths (bounded), cycles, unreachable scenes and dead ends.',
  async run(argv, out, err = process.stderr) {
    const { values, positionals } = parseCommandLine(argv, {
      context: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return void out.write(`tessera paths ${this.synopsis}\n${this.summary}\n`);
    const [file, ...pairs] = positionals;
    if (!file) throw new CliError('expected a programme file', 2);
    const context = parseContext([...(values.context ?? []), ...pairs]);
    const engine = await loadEngineNode();
    try {
      await loadProgrammeOrFail(engine, file, err);
      const r = engine.paths(context);
      if (values.json) {
        out.write(`${JSON.stringify({ paths: r.paths, truncated: r.truncated, cycles: r.cycles, unreachable: r.unreachable, deadEnds: r.deadEnds })}\n`);
        return;
      }
      r.paths.forEach((p, i) => out.write(`${String(i + 1).padStart(3)}. ${p.join(' → ')}\n`));
      out.write(`${r.paths.length} path${r.paths.length === 1 ? '' : 's'}${r.truncated ? ' (truncated: limits reached)' : ''}\n`);
      for (const c of r.cycles) out.write(`cycle: ${c.join(' → ')}\n`);
      if (r.unreachable.length) out.write(`unreachable: ${r.unreachable.join(', ')}\n`);
      if (r.deadEnds.length) out.write(`dead ends: ${r.deadEnds.join(', ')}\n`);
    } finally {
      engine.dispose();
    }
  },
};
