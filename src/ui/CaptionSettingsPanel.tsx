// The viewer's caption settings: size, colours and opacities of the text, its backing box and the
// caption window, edge style, font and position. Each change applies at once (the engine draws the
// next frame with it) and is saved for the next visit.
import { useId } from 'react';

import type { PlayerController } from '../player/controller';
import {
  CAPTION_EDGES,
  CAPTION_FONTS,
  CAPTION_POSITIONS,
  CAPTION_SIZE_RANGE,
  DEFAULT_CAPTION_SETTINGS,
  type CaptionEdge,
  type CaptionFont,
  type CaptionPosition,
  type CaptionSettings,
} from '../player/caption-settings';
import { rememberPreferences } from '../player/preferences';
import { usePlayer } from './store-context';

const EDGE_LABELS: Record<CaptionEdge, string> = {
  none: 'None',
  outline: 'Outline',
  'drop-shadow': 'Drop shadow',
  raised: 'Raised',
  depressed: 'Depressed',
};
const FONT_LABELS: Record<CaptionFont, string> = { default: 'As the programme sets it', sans: 'Sans serif', serif: 'Serif', mono: 'Monospaced' };
const POSITION_LABELS: Record<CaptionPosition, string> = { default: 'As the programme places them', top: 'Top of the picture' };

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // denied by the browser's privacy settings: settings last for this visit
  }
}

function ColourAndOpacity({
  label,
  colour,
  opacity,
  onChange,
}: {
  label: string;
  colour: string;
  opacity: number;
  onChange: (colour: string, opacity: number) => void;
}) {
  const id = useId();
  return (
    <div className="caption-setting">
      <label htmlFor={`${id}-colour`}>{label} colour</label>
      <input autoComplete="off" id={`${id}-colour`} type="color" value={colour} onChange={(e) => onChange(e.target.value, opacity)} />
      <label htmlFor={`${id}-opacity`}>{label} opacity</label>
      <input
        autoComplete="off"
        id={`${id}-opacity`}
        type="range"
        min={0}
        max={100}
        step={5}
        value={Math.round(opacity * 100)}
        aria-valuetext={`${Math.round(opacity * 100)} %`}
        onChange={(e) => onChange(colour, Number(e.target.value) / 100)}
      />
    </div>
  );
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', cy: 'Cymraeg (Welsh)', gd: 'Gàidhlig (Gaelic)', ga: 'Gaeilge (Irish)' };

/** Captions on or off, and their language when the programme has more than one: the viewer's context. */
export function CaptionChoice({ controller }: { controller: PlayerController }) {
  const programme = usePlayer((s) => s.programme);
  const context = usePlayer((s) => s.context);
  const id = useId();
  if (!programme || programme.captionLanguages.length === 0) return null;
  const on = context.captions ?? programme.context.captions ?? false;
  // Without a caption language of their own, captions follow the programme's language (the demo's
  // conditions read captionsLanguage with language as its fallback).
  const spoken = context.language ?? programme.context.language;
  const language =
    context.captionsLanguage ??
    programme.context.captionsLanguage ??
    (spoken !== undefined && programme.captionLanguages.includes(spoken) ? spoken : programme.captionLanguages[0]!);
  const choose = (next: { captions?: boolean; captionsLanguage?: string }) => {
    controller.setContext(next);
    rememberPreferences(storage(), { context: { captions: on, captionsLanguage: language, ...next } });
  };
  return (
    <div className="caption-choice">
      <label htmlFor={`${id}-on`}>
        <input autoComplete="off" id={`${id}-on`} type="checkbox" checked={on} onChange={(e) => choose({ captions: e.target.checked })} /> Captions
      </label>
      {programme.captionLanguages.length > 1 && (
        <>
          <label htmlFor={`${id}-language`}>Caption language</label>
          <select autoComplete="off" id={`${id}-language`} value={language} disabled={!on} onChange={(e) => choose({ captionsLanguage: e.target.value })}>
            {programme.captionLanguages.map((code) => (
              <option key={code} value={code} lang={code}>
                {LANGUAGE_NAMES[code] ?? code}
              </option>
            ))}
          </select>
        </>
      )}
    </div>
  );
}

export function CaptionSettingsPanel({ controller }: { controller: PlayerController }) {
  const settings = usePlayer((s) => s.captionSettings);
  const id = useId();
  const apply = (next: CaptionSettings) => {
    controller.setCaptionSettings(next);
    rememberPreferences(storage(), { captionSettings: next });
  };
  const change = (patch: Partial<CaptionSettings>) => apply({ ...settings, ...patch });

  return (
    <details className="caption-settings" id="caption-settings">
      <summary>Caption settings</summary>
      <div className="caption-setting">
        <label htmlFor={`${id}-size`}>Text size</label>
        <input
          autoComplete="off"
          id={`${id}-size`}
          type="range"
          min={CAPTION_SIZE_RANGE.min}
          max={CAPTION_SIZE_RANGE.max}
          step={CAPTION_SIZE_RANGE.step}
          value={settings.size}
          aria-valuetext={`${settings.size} %`}
          onChange={(e) => change({ size: Number(e.target.value) })}
        />
        <output htmlFor={`${id}-size`}>{settings.size} %</output>
      </div>
      <ColourAndOpacity label="Text" colour={settings.textColour} opacity={settings.textOpacity} onChange={(c, o) => change({ textColour: c, textOpacity: o })} />
      <ColourAndOpacity
        label="Background"
        colour={settings.backgroundColour}
        opacity={settings.backgroundOpacity}
        onChange={(c, o) => change({ backgroundColour: c, backgroundOpacity: o })}
      />
      <ColourAndOpacity label="Window" colour={settings.windowColour} opacity={settings.windowOpacity} onChange={(c, o) => change({ windowColour: c, windowOpacity: o })} />
      <div className="caption-setting">
        <label htmlFor={`${id}-edge`}>Text edge</label>
        <select autoComplete="off" id={`${id}-edge`} value={settings.edge} onChange={(e) => change({ edge: e.target.value as CaptionEdge })}>
          {CAPTION_EDGES.map((edge) => (
            <option key={edge} value={edge}>
              {EDGE_LABELS[edge]}
            </option>
          ))}
        </select>
      </div>
      <div className="caption-setting">
        <label htmlFor={`${id}-font`}>Font</label>
        <select autoComplete="off" id={`${id}-font`} value={settings.font} onChange={(e) => change({ font: e.target.value as CaptionFont })}>
          {CAPTION_FONTS.map((font) => (
            <option key={font} value={font}>
              {FONT_LABELS[font]}
            </option>
          ))}
        </select>
      </div>
      <div className="caption-setting">
        <label htmlFor={`${id}-position`}>Caption position</label>
        <select autoComplete="off" id={`${id}-position`} value={settings.position} onChange={(e) => change({ position: e.target.value as CaptionPosition })}>
          {CAPTION_POSITIONS.map((position) => (
            <option key={position} value={position}>
              {POSITION_LABELS[position]}
            </option>
          ))}
        </select>
      </div>
      <button type="button" onClick={() => apply({ ...DEFAULT_CAPTION_SETTINGS })}>
        Reset caption settings
      </button>
    </details>
  );
}
