// `tessera logic rule.json data.json`: evaluates a JSONLogic rule against data with the engine
// (the same results as json-logic-js; see docs/json-logic.md) and prints the result as JSON.
import { readFile } from 'node:fs/promises';

import { EngineError } from '../engine/engine';
import { loadEngineNode } from '../engine/load-node';
import { CliError, parseCommandLine, type Command } from './command';

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} file ${file}: ${error instanceof Error ? error.message : error}`, 1);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${file}: invalid JSON: ${error instanceof Error ? error.message : error}`, 1);
  }
}

export const logicCommand: Command = {
  synopsis: '<rule.json> <data.json> [--json]',
  summary: 'Evaluates a JSONLogic rule against data and prints the result as JSON.',
  async run(argv, out) {
    const { values, positionals } = parseCommandLine(argv, {
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      out.write(`tessera logic ${this.synopsis}\n${this.summary}\n`);
      return;
    }
    if (positionals.length < 2) throw new CliError(`missing ${positionals.length === 0 ? '<rule.json> and ' : ''}<data.json>`, 2);
    if (positionals.length > 2) throw new CliError(`unexpected argument '${positionals[2]}'`, 2);
    const [ruleFile, dataFile] = positionals as [string, string];
    const rule = await readJson(ruleFile, 'rule');
    const data = await readJson(dataFile, 'data');

    const engine = await loadEngineNode();
    let result: unknown;
    try {
      result = engine.evaluateLogic(rule, data);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      // Limits on the data document say "data: …"; everything else is about the rule.
      const dataProblem = error.message.startsWith('data: ');
      const message = dataProblem ? error.message.slice('data: '.length) : error.message.replace(/^rule: /, '');
      throw new CliError(`${dataProblem ? dataFile : ruleFile}: ${message}`, 1);
    } finally {
      engine.dispose();
    }
    const value = result === undefined ? null : result;
    out.write(values.json ? `${JSON.stringify({ result: value })}\n` : `${JSON.stringify(value, null, 2)}\n`);
  },
};
