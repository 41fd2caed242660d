// `tessera import storyplayer <story.json> [-o out.json] [--json]`: converts a BBC R&D StoryPlayer
// experience into a Tessera programme (docs/storyplayer-import.md), checks the result with the
// engine's validator, and writes it. Exit 0 (warnings allowed), 1 invalid input or output, 2 usage.
import { readFile, stat, writeFile } from 'node:fs/promises';

import { loadEngineNode } from '../engine/load-node';
import { importStoryPlayer, StoryPlayerImportError, type ImportWarning } from '../programme/import/storyplayer';
import { CliError, parseCommandLine, type Command } from './command';
import { formatDiagnostic } from './programme-input';

const FORMATS = ['storyplayer'] as const;
const MAX_INPUT_BYTES = 64 * 1024 * 1024;

function formatWarning(file: string, w: ImportWarning): string {
  return `${file}: warning: ${w.message}${w.path ? ` (at ${w.path})` : ''}`;
}

/** Media durations from a JSON file: { "<asset collection id or media URL>": seconds }. */
async function readDurations(file: string): Promise<Record<string, number>> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read durations from ${file}: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new CliError(`${file}: durations must be a JSON object of seconds`, 1);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (typeof v !== 'number' || !(v > 0)) throw new CliError(`${file}: the duration of "${k}" must be a positive number of seconds`, 1);
    out[k] = v;
  }
  return out;
}

export const importCommand: Command = {
  synopsis: 'storyplayer <story.json> [-o out.json] [--json] [--story id] [--durations durations.json]',
  summary: 'Imports a BBC R&D StoryPlayer experience as a programme (warnings name what could not be mapped).',
  async run(argv, out, err = process.stderr) {
    const { values, positionals } = parseCommandLine(argv, {
      output: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      story: { type: 'string' },
      durations: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) return void out.write(`tessera import ${this.synopsis}\n${this.summary}\n`);
    const [format, file, extra] = positionals;
    if (!format) throw new CliError(`expected a source format (${FORMATS.join(', ')})`, 2);
    if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`unknown source format '${format}' (expected ${FORMATS.join(', ')})`, 2);
    if (!file) throw new CliError('expected a StoryPlayer experience file', 2);
    if (extra) throw new CliError(`unexpected argument '${extra}'`, 2);
    if (values.output === '') throw new CliError('-o needs a file name', 2);

    let size: number;
    try {
      size = (await stat(file)).size;
    } catch {
      throw new CliError(`cannot read ${file}`, 1);
    }
    if (size > MAX_INPUT_BYTES) throw new CliError(`${file} is ${size} bytes; the limit is 64 MiB`, 1);
    let input: unknown;
    try {
      input = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new CliError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`, 1);
    }
    const durations = values.durations ? await readDurations(values.durations) : undefined;

    let result;
    try {
      result = importStoryPlayer(input, { ...(values.story ? { storyId: values.story } : {}), ...(durations ? { durations } : {}) });
    } catch (error) {
      if (error instanceof StoryPlayerImportError) throw new CliError(`${file}: ${error.message}${error.path ? ` (at ${error.path})` : ''}`, 1);
      throw error;
    }
    const { programme, warnings } = result;
    const text = `${JSON.stringify(programme, null, 2)}\n`;

    // The engine's validator is authoritative: never write a programme it refuses.
    const engine = await loadEngineNode();
    try {
      const report = engine.loadProgramme(text);
      if (!report.ok) {
        const name = values.output ?? '<imported programme>';
        for (const d of report.diagnostics) if (d.severity === 'error') err.write(`${formatDiagnostic(name, d)}\n`);
        throw new CliError(`${file}: the imported programme is not valid (${report.errors} error${report.errors === 1 ? '' : 's'})`, 1);
      }
    } finally {
      engine.dispose();
    }

    const scenes = Object.keys(programme.scenes).length + Object.values(programme.programmes ?? {}).reduce((n, p) => n + Object.keys(p.scenes).length, 0);
    if (values.output) await writeFile(values.output, text);
    if (values.json) {
      const report: Record<string, unknown> = { output: values.output ?? null, warnings, scenes };
      if (!values.output) report['programme'] = programme;
      out.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    for (const w of warnings) err.write(`${formatWarning(file, w)}\n`);
    if (values.output) {
      out.write(`${values.output}: imported ${scenes} scene${scenes === 1 ? '' : 's'} from ${file} (${warnings.length} warning${warnings.length === 1 ? '' : 's'})\n`);
    } else {
      out.write(text);
    }
  },
};
