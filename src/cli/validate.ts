// `tessera validate <programme.json>`: the engine's validator and analyses, plus a check that
// every asset file exists. Exit 0 when there are no errors, 1 otherwise.
import type { Diagnostic } from '../engine/engine';
import { loadEngineNode } from '../engine/load-node';
import { CliError, parseCommandLine, type Command } from './command';
import { formatDiagnostic, missingAssetFiles, readProgramme } from './programme-input';

export const validateCommand: Command = {
  synopsis: '<programme.json> [--json]',
  summary: 'Validates a programme: structure, references, conditions, reachability, asset files.',
  async run(argv, out) {
    const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) return void out.write(`tessera validate ${this.synopsis}\n${this.summary}\n`);
    const [file, extra] = positionals;
    if (!file || extra) throw new CliError('expected one programme file', 2);
    const text = await readProgramme(file);
    const engine = await loadEngineNode();
    try {
      const report = engine.loadProgramme(text);
      const diagnostics: Diagnostic[] = [...report.diagnostics];
      if (report.ok) {
        for (const m of await missingAssetFiles(file, text))
          diagnostics.push({ severity: 'error', pointer: m.pointer, message: `asset file not found: ${m.src}`, line: 0, column: 0 });
      }
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
      if (values.json) {
        out.write(`${JSON.stringify({ file, ok: errors === 0, errors, warnings, diagnostics }, null, 2)}\n`);
      } else {
        for (const d of diagnostics) out.write(`${formatDiagnostic(file, d)}\n`);
        out.write(`${file}: ${errors === 0 ? 'valid' : 'invalid'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})\n`);
      }
      if (errors > 0) throw new CliError(`${errors} error${errors === 1 ? '' : 's'}`, 1, { quiet: true });
    } finally {
      engine.dispose();
    }
  },
};
