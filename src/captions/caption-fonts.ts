// The caption fonts beyond public/fonts/DejaVuSans.ttf, by the engine's names for them: the serif
// and monospaced families and the CJK fallback. The engine asks for one by name (MediaNeeds.fonts)
// when the captions handed in need it (a TTML family, characters DejaVu lacks), and the player
// loads a family the viewer picks. They come from Debian packages scripts/setup.sh installs,
// served by vite.config.ts under /fonts/ (and copied into the build) and read from disk in Node.
export interface CaptionFontFile {
  /** Where the Debian package puts it. */
  file: string;
  /** Its URL path under the player's font directory (/fonts/). */
  url: string;
}

export const CAPTION_FONT_FILES: Readonly<Record<string, CaptionFontFile>> = {
  // DejaVu (Bitstream Vera licence, Debian fonts-dejavu-core).
  serif: { file: '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf', url: 'dejavu/DejaVuSerif.ttf' },
  mono: { file: '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', url: 'dejavu/DejaVuSansMono.ttf' },
  // Droid Sans Fallback (Apache-2.0, Debian fonts-droid-fallback): Han, kana and Hangul.
  cjk: { file: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', url: 'droid/DroidSansFallbackFull.ttf' },
};

export function captionFontFile(name: string): CaptionFontFile {
  const font = Object.hasOwn(CAPTION_FONT_FILES, name) ? CAPTION_FONT_FILES[name] : undefined;
  if (!font) throw new Error(`no caption font named "${name}"`);
  return font;
}
