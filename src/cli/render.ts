// `tessera render <programme.json> [--context k=v …] --at S -o frame.png`: one frame of the plan
// for a viewer context, composed by the engine (graphics, images and captions; fonts, images and
// caption files read from disk relative to the programme; captions in DejaVu with the default or
// --caption-settings) and written as the engine's PNG. Node has no video decoder: video
// objects on screen at that moment are left black and named on stderr (exit 0, or 1 with
// --require-complete).
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { sanitiseCaptionSettings } from '../engine/caption-settings';
import { captionFontFile } from '../captions/caption-fonts';
import { assetBytesForEngine } from '../engine/asset-bytes';
import { EngineError, type TesseraEngine } from '../engine/engine';
import { loadEngineNode } from '../engine/load-node';
import { CliError, parseCommandLine, type Command } from './command';
import { loadProgrammeOrFail, parseContext } from './programme-input';

export interface RenderSummary {
  file: string;
  time: number;
  width: number;
  height: number;
  output: string;
  /** Objects the engine drew. */
  drawn: number;
  /** Video objects on screen at `time` that Node cannot decode (left black). */
  missingVideo: string[];
  /** The text of each caption cue drawn (the engine draws captions itself). */
  captions: string[];
  /** SHA-256 of the frame's pixels (premultiplied RGBA, as the engine holds them). */
  sha256: string;
}

const isUrl = (src: string) => /^[a-z][a-z0-9+.-]*:/i.test(src);

/** The caption fonts: the player's sans, and the others from Debian packages (caption-fonts.ts). */
const CAPTION_SANS = fileURLToPath(new URL('../../public/fonts/DejaVuSans.ttf', import.meta.url));

async function addCaptionFont(engine: TesseraEngine, name: string): Promise<void> {
  const fontFile = captionFontFile(name).file;
  try {
    engine.addFont(name, await readFile(fontFile));
  } catch (error) {
    throw new CliError(`caption font ${name} (${fontFile}): ${error instanceof Error ? error.message : String(error)}`, 1);
  }
}

/** Caption fonts and, with --caption-settings, the viewer's caption settings (checked like the player's). */
async function setUpCaptions(engine: TesseraEngine, settingsFile: string | undefined): Promise<void> {
  engine.addFont('sans', await readFile(CAPTION_SANS));
  if (settingsFile === undefined) return;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(settingsFile, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read caption settings ${settingsFile}: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
  const settings = sanitiseCaptionSettings(raw);
  if (settings.font !== 'sans' && settings.font !== 'default') await addCaptionFont(engine, settings.font);
  engine.setCaptionSettings(settings);
}
const list = (items: string[]) => items.join(', ');

/** Hands the fonts and images the plan draws with to the engine, read relative to the programme. */
async function addAssetsFromDisk(engine: TesseraEngine, file: string, time: number, err: NodeJS.WritableStream): Promise<void> {
  const base = path.dirname(file);
  const needs = engine.mediaAt(time, 0);
  const aspect = needs.layout.height > 0 ? needs.layout.width / needs.layout.height : undefined;
  for (const asset of needs.assets) {
    if (isUrl(asset.src)) {
      err.write(`tessera render: ${asset.type} ${asset.asset} is not a local file (${asset.src}); drawn without it\n`);
      continue;
    }
    const where = path.resolve(base, asset.src);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(where);
    } catch {
      throw new CliError(`cannot read ${asset.type} ${asset.asset} (${asset.src}, resolved to ${where})`, 1);
    }
    try {
      engine.addAsset(asset.asset, await assetBytesForEngine(asset, bytes, aspect));
    } catch (error) {
      if (error instanceof EngineError) throw new CliError(`${asset.type} ${asset.asset} (${asset.src}): ${error.message}`, 1);
      throw error;
    }
  }
}

export const renderCommand: Command = {
  synopsis: '<programme.json> [--context key=value …] --at <seconds> -o <frame.png> [--caption-settings <settings.json>] [--require-complete] [--json]',
  summary: 'Renders the frame at a time of the plan for a viewer context as a PNG (video left black: Node cannot decode it).',
  async run(argv, out, err = process.stderr) {
    const { values, positionals } = parseCommandLine(argv, {
      context: { type: 'string', multiple: true },
      at: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'require-complete': { type: 'boolean' },
      'caption-settings': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      out.write(`tessera render ${this.synopsis}\n${this.summary}\n`);
      return;
    }
    const [file, ...pairs] = positionals;
    if (!file) throw new CliError('expected a programme file', 2);
    const context = parseContext([...(values.context ?? []), ...pairs]);
    if (values.at === undefined) throw new CliError('missing --at <seconds>', 2);
    const time = Number(values.at);
    if (values.at.trim() === '' || !Number.isFinite(time) || time < 0) throw new CliError(`--at must be a time in seconds (got '${values.at}')`, 2);
    const output = values.output;
    if (!output) throw new CliError('missing -o <frame.png>', 2);
    if (!output.toLowerCase().endsWith('.png')) throw new CliError(`the output must be a .png file (got '${output}')`, 2);

    const engine = await loadEngineNode();
    try {
      await setUpCaptions(engine, values['caption-settings']);
      await loadProgrammeOrFail(engine, file, err);
      const plan = engine.resolve(context);
      if (time >= plan.duration)
        throw new CliError(`--at ${time} s is not before the end of the plan (${plan.duration} s for this context)`, 1);
      await addAssetsFromDisk(engine, file, time, err);
      // The fonts the captions just handed in need (a TTML family, CJK characters).
      for (const name of engine.mediaAt(time, 0).fonts ?? []) await addCaptionFont(engine, name);

      const needs = engine.mediaAt(time, 0);
      const report = engine.renderFrame(time);
      const missingVideo = [...new Set([...needs.video.filter((v) => v.active).map((v) => v.object), ...report.missing])];
      const sha256 = engine.withFramePixels((pixels) => createHash('sha256').update(pixels).digest('hex'));
      try {
        await writeFile(output, engine.framePng());
      } catch (error) {
        throw new CliError(`cannot write ${output}: ${error instanceof Error ? error.message : String(error)}`, 1);
      }

      if (missingVideo.length > 0) {
        const noun = missingVideo.length === 1 ? 'video object' : 'video objects';
        const pronoun = missingVideo.length === 1 ? 'it is' : 'they are';
        err.write(`tessera render: frame at ${time} s shows ${noun} ${list(missingVideo)} that Node cannot decode; ${pronoun} left black\n`);
      }
      const summary: RenderSummary = {
        file, time, width: report.width, height: report.height, output, drawn: report.drawn, missingVideo, captions: report.captions, sha256,
      };
      if (values.json) {
        out.write(`${JSON.stringify(summary)}\n`);
      } else {
        const left = missingVideo.length ? `; ${missingVideo.length} video object${missingVideo.length === 1 ? '' : 's'} left black` : '';
        const cues = report.captions.length ? `, ${report.captions.length} caption cue${report.captions.length === 1 ? '' : 's'}` : '';
        out.write(`wrote ${output} (${report.width}×${report.height}, frame at ${time} s, ${report.drawn} object${report.drawn === 1 ? '' : 's'} drawn${cues}${left}; frame SHA-256 ${sha256})\n`);
      }
      if (values['require-complete'] && missingVideo.length > 0)
        throw new CliError(`--require-complete: the frame at ${time} s is incomplete (${list(missingVideo)} not drawn)`, 1);
    } finally {
      engine.dispose();
    }
  },
};
