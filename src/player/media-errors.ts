// Plain-language messages for files a programme could not use. Playback goes on without them,
// so each message says what is missing and what still works. Pure, for unit tests.

export interface MediaErrorFacts {
  stage: 'media' | 'asset';
  file: string;
  /** The programme's asset id, when the worker knows it. */
  asset?: string;
  /** The asset's role in the programme ("sign", "description", "narration", …), when it has one. */
  role?: string;
  /** The asset's type ("video", "audio", "captions", "font", "image", …). */
  assetType?: string;
}

/** What the missing thing is, in words a viewer knows. */
function whatIsMissing(error: MediaErrorFacts): string {
  const role = error.role ?? '';
  const type = error.assetType ?? (error.stage === 'media' ? 'video' : '');
  if (role === 'sign') return 'The sign-language video';
  if (role === 'description') return 'The audio description';
  if (role === 'narration' || role === 'dialogue') return 'Some of the narration';
  if (role === 'music') return 'The music';
  if (role === 'effects') return 'A sound effect';
  if (type === 'captions') return 'Some of the captions';
  if (type === 'font') return 'A font';
  if (type === 'image' || type === 'graphic') return 'A picture';
  if (type === 'audio') return 'Some of the sound';
  if (/\.(vtt|srt|ttml|xml)$/i.test(error.file)) return 'Some of the captions';
  if (/\.(ttf|otf|woff2?)$/i.test(error.file)) return 'A font';
  return type === 'video' ? 'A video in the programme' : 'A file the programme uses';
}

/** "The sign-language video could not be loaded; the programme plays without it." */
export function describeMediaError(error: MediaErrorFacts): string {
  const missing = whatIsMissing(error);
  if (missing === 'A font') return 'A font could not be loaded; the text is shown in the standard font.';
  return `${missing} could not be loaded; the programme plays without it.`;
}

/** Each asset's type and role, read from the programme's text (the engine validated it). */
export function assetDescriptions(text: string): Map<string, { assetType?: string; role?: string }> {
  const out = new Map<string, { assetType?: string; role?: string }>();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return out;
  }
  const assets = (doc as { assets?: unknown }).assets;
  if (!assets || typeof assets !== 'object') return out;
  for (const [id, asset] of Object.entries(assets as Record<string, unknown>)) {
    if (!asset || typeof asset !== 'object') continue;
    const { type, role } = asset as { type?: unknown; role?: unknown };
    out.set(id, { ...(typeof type === 'string' ? { assetType: type } : {}), ...(typeof role === 'string' ? { role } : {}) });
  }
  return out;
}
