// `tessera resolve <programme.json> --context k=v …`: the plan for one viewer — what plays,
// when, where and how loud, and why. `--at S --then k=v …` re-resolves at S seconds after a
// context change and prints only what changed.
import { loadEngineNode } from '../engine/load-node';
import { CliError, parseCommandLine, type Command } from './command';
import { loadProgrammeOrFail, parseContext } from './programme-input';

const secs = (n: number) => `${n.toFixed(2).padStart(7)} s`;

export const resolveCommand: Command = {
  synopsis: '<programme.json> [--context key=value …] [--at seconds --then key=value …] [--json]',
  summary: 'Resolves the programme for a viewer context and prints the plan with its reasons.',
  async run(argv, out, err = process.stderr) {
    const { values, positionals } = parseCommandLine(argv, {
      context: { type: 'string', multiple: true },
      at: { type: 'string' },
      then: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return void out.write(`tessera resolve ${this.synopsis}\n${this.summary}\n`);
    const [file, ...pairs] = positionals;
    if (!file) throw new CliError('expected a programme file', 2);
    const context = parseContext([...(values.context ?? []), ...pairs]);
    const position = values.at === undefined ? undefined : Number(values.at);
    if (position !== undefined && !(Number.isFinite(position) && position >= 0))
      throw new CliError(`--at must be a time in seconds (got '${values.at}')`, 2);
    if ((position === undefined) !== (values.then === undefined)) throw new CliError('--at and --then go together', 2);

    const engine = await loadEngineNode();
    try {
      await loadProgrammeOrFail(engine, file, err);
      const plan = engine.resolve(context);
      if (position !== undefined) {
        const changed = engine.reresolve({ ...context, ...parseContext(values.then ?? []) }, position);
        if (values.json) return void out.write(`${JSON.stringify(changed)}\n`);
        const c = changed.changes;
        out.write(`at ${position} s: ${c.added.length} added, ${c.removed.length} removed, ${c.changed.length} changed` +
          `${c.pathChanged ? ', path changed' : ''}${c.layoutChanged ? ', layout changed' : ''}\n`);
        for (const o of c.added) out.write(`  + ${o.id} (${o.asset}) ${o.start}–${o.end} s\n`);
        for (const o of c.removed) out.write(`  - ${o.id} (${o.asset})\n`);
        for (const o of c.changed) out.write(`  ~ ${o.id}: ${Object.keys(o.fields).join(', ')}\n`);
        return;
      }
      if (values.json) return void out.write(`${JSON.stringify(plan)}\n`);
      out.write(`layout ${plan.layout.id} (${plan.layout.width}×${plan.layout.height}) — ${plan.layout.reason.message ?? ''}\n`);
      out.write(`duration ${plan.duration} s${plan.fit.applied ? ` (fitted from ${plan.fit.originalDuration} s to ${plan.timeAvailable} s)` : ''}\n\npath:\n`);
      for (const scene of plan.path) {
        const alt = scene.alternative ? ` [alternative ${scene.alternative}]` : '';
        out.write(`  ${secs(scene.start)}  ${scene.scene}${alt}${scene.title ? ` — ${scene.title}` : ''}\n`);
        if (scene.choice) out.write(`             choice: ${scene.choice.reason}\n`);
      }
      for (const d of plan.fit.decisions) out.write(`  fit: ${d.scene} ${d.action} (${d.reason})\n`);
      out.write(`  end: ${plan.end.message ?? plan.end.kind}\n\nobjects:\n`);
      for (const o of plan.objects) {
        const region = o.region ? ` @${o.region.name}` : '';
        out.write(`  ${secs(o.start)} → ${secs(o.end)}  ${o.id} (${o.type} ${o.asset})${region}${o.gainDb ? ` ${o.gainDb} dB` : ''}\n`);
      }
      for (const w of plan.warnings) out.write(`warning: ${w}\n`);
    } finally {
      engine.dispose();
    }
  },
};
