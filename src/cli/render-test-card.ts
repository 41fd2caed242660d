// `tessera render-test-card -o card.png`: the engine's test card as a PNG (or raw RGBA).
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadEngineNode } from '../engine/load-node';
import { CliError, parseCommandLine, positiveInteger, type Command } from './command';

const DEFAULT_FONT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../public/fonts/DejaVuSans.ttf');

export const renderTestCardCommand: Command = {
  synopsis: '-o <file.png|file.rgba> [--width 1280] [--height 720] [--font file.ttf] [--engine simd|scalar] [--json]',
  summary: "Draws the engine's test card and writes it as PNG (or raw RGBA with .rgba).",
  async run(argv, out) {
    const { values, positionals } = parseCommandLine(argv, {
      output: { type: 'string', short: 'o' },
      width: { type: 'string' },
      height: { type: 'string' },
      font: { type: 'string' },
      engine: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      out.write(`tessera render-test-card ${this.synopsis}\n${this.summary}\n`);
      return;
    }
    if (positionals.length > 0) throw new CliError(`unexpected argument '${positionals[0]}'`, 2);
    if (!values.output) throw new CliError('missing -o <file>', 2);
    const width = positiveInteger(values.width, '--width', 1280);
    const height = positiveInteger(values.height, '--height', 720);
    const tier = values.engine ?? 'simd';
    if (tier !== 'simd' && tier !== 'scalar') throw new CliError(`--engine must be simd or scalar (got '${tier}')`, 2);

    const fontPath = values.font ?? DEFAULT_FONT;
    let font: Uint8Array;
    try {
      font = await readFile(fontPath);
    } catch {
      throw new CliError(`cannot read font ${fontPath}`, 1);
    }

    const engine = await loadEngineNode({ tier });
    try {
      try {
        engine.addFont('sans', font);
        engine.renderTestCard(width, height);
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error), 1);
      }
      const raw = values.output.endsWith('.rgba');
      const bytes = raw ? engine.copyFrame().pixels : engine.framePng();
      const sha256 = engine.withFramePixels((pixels) => createHash('sha256').update(pixels).digest('hex'));
      try {
        await writeFile(values.output, bytes);
      } catch (error) {
        throw new CliError(`cannot write ${values.output}: ${error instanceof Error ? error.message : error}`, 1);
      }
      if (values.json) {
        out.write(`${JSON.stringify({ output: values.output, format: raw ? 'rgba' : 'png', width, height, sha256 })}\n`);
      } else {
        out.write(`wrote ${values.output} (${width}×${height}, ${raw ? 'raw RGBA' : 'PNG'}, frame SHA-256 ${sha256})\n`);
      }
    } finally {
      engine.dispose();
    }
  },
};
