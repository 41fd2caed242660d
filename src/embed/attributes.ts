// The element's attributes and what they mean for the player: the programme to load and the
// viewer-context presets. Pure (no DOM), so the rules are unit-tested in Node; the React
// component maps its props onto the same attributes.
import type { ProgrammeRequest } from '../player/controller';
import type { ViewerContext } from '../player/protocol';

/** The element's tag. */
export const TAG_NAME = 'tessera-player';

/** Attributes whose changes the element applies (observedAttributes). */
export const OBSERVED_ATTRIBUTES = ['src', 'at', 'paused', 'lang', 'captions', 'sign', 'audio-description', 'duration', 'font-base', 'audio'] as const;
export type ObservedAttribute = (typeof OBSERVED_ATTRIBUTES)[number];

/** The viewer-context keys the element presets (docs/programme-format.md, viewer context). */
export interface EmbedViewerContext extends ViewerContext {
  language?: string;
  signLanguage?: boolean;
  audioDescription?: boolean;
  /** Seconds the viewer has (0: no limit). */
  timeAvailable?: number;
}

/** Which viewer-context key each context attribute sets. */
export const CONTEXT_ATTRIBUTES = {
  lang: 'language',
  captions: 'captions',
  sign: 'signLanguage',
  'audio-description': 'audioDescription',
  duration: 'timeAvailable',
} as const satisfies Partial<Record<ObservedAttribute, keyof EmbedViewerContext>>;
export type ContextAttribute = keyof typeof CONTEXT_ATTRIBUTES;

export function isContextAttribute(name: string): name is ContextAttribute {
  return Object.hasOwn(CONTEXT_ATTRIBUTES, name);
}

/**
 * A yes/no preset: present (empty, "true", "on", "yes") is yes, "false", "off" or "no" is no,
 * absent (or anything else) leaves the programme's default or the viewer's own choice.
 */
export function parseFlag(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'true' || v === 'on' || v === 'yes') return true;
  if (v === 'false' || v === 'off' || v === 'no') return false;
  return undefined;
}

/** Seconds from an attribute: a finite number ≥ 0, else undefined. */
export function parseSeconds(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The viewer-context value one context attribute sets (undefined: not set). */
export function contextValue(name: ContextAttribute, value: string | null): EmbedViewerContext[keyof EmbedViewerContext] {
  switch (name) {
    case 'lang': {
      const tag = value?.trim() ?? '';
      return tag === '' ? undefined : tag;
    }
    case 'duration':
      return parseSeconds(value);
    default:
      return parseFlag(value);
  }
}

/** The presets the attributes set; keys whose attribute is absent or unreadable are left out. */
export function contextFromAttributes(get: (name: string) => string | null): EmbedViewerContext {
  const context: Record<string, unknown> = {};
  for (const [attribute, key] of Object.entries(CONTEXT_ATTRIBUTES)) {
    const value = contextValue(attribute as ContextAttribute, get(attribute));
    if (value !== undefined) context[key] = value;
  }
  return context as EmbedViewerContext;
}

/**
 * The change one context attribute makes: its key with the new value, or with undefined when the
 * attribute went away (the engine then uses the programme's default).
 */
export function contextChange(name: ContextAttribute, value: string | null): EmbedViewerContext {
  return { [CONTEXT_ATTRIBUTES[name]]: contextValue(name, value) } as EmbedViewerContext;
}

/**
 * The programme to load: `src` resolved against the page's address (the engine worker lives at
 * the library's address, so a relative one would resolve there), starting at `at` seconds.
 * Null without a src (the test card is drawn).
 */
export function programmeRequest(get: (name: string) => string | null, baseUrl: string): ProgrammeRequest | null {
  const src = get('src')?.trim() ?? '';
  if (src === '') return null;
  let url: string;
  try {
    url = new URL(src, baseUrl).href;
  } catch {
    url = src; // the worker reports it as not a URL on this site
  }
  return { url, at: parseSeconds(get('at')) ?? 0, paused: get('paused') !== null };
}

/**
 * Whether the player may make sound: yes unless the `audio` attribute says no (`off`, `false`,
 * `no`). With no, it never opens the audio device (no AudioContext): a silent preview, or a page
 * that must not take the sound.
 */
export function audioAllowed(get: (name: string) => string | null): boolean {
  return parseFlag(get('audio')) !== false;
}

/** What the React component's props become: attribute values, null for an attribute to remove. */
export interface PlayerAttributeProps {
  src?: string;
  at?: number;
  paused?: boolean;
  lang?: string;
  captions?: boolean;
  sign?: boolean;
  audioDescription?: boolean;
  /** Seconds the viewer has (the programme's timeAvailable; 0: no limit). */
  duration?: number;
  fontBase?: string;
  /** false: no sound, and the audio device is never opened (the `audio="off"` attribute). */
  audio?: boolean;
}

export function attributesFromProps(props: PlayerAttributeProps): Record<ObservedAttribute, string | null> {
  const flag = (v: boolean | undefined) => (v === undefined ? null : v ? 'true' : 'false');
  const text = (v: string | number | undefined) => (v === undefined ? null : String(v));
  return {
    src: text(props.src),
    at: text(props.at),
    paused: props.paused ? '' : null,
    lang: text(props.lang),
    captions: flag(props.captions),
    sign: flag(props.sign),
    'audio-description': flag(props.audioDescription),
    duration: text(props.duration),
    'font-base': text(props.fontBase),
    audio: props.audio === false ? 'off' : null,
  };
}
