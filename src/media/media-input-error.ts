// The one error type for media inputs (demux and decode): a plain-language message that names the
// file, and a code the player can act on (skip the asset, report it, retry).

export type MediaInputErrorCode =
  /** The URL could not be fetched (HTTP error, network failure). */
  | 'not-found'
  /** The bytes are not a container Mediabunny can read (or not a media file at all). */
  | 'unsupported-format'
  /** The file holds no video track. */
  | 'no-video-track'
  /** The codec is unknown, or this browser's WebCodecs cannot decode it. */
  | 'unsupported-codec'
  /** The stream's colour matrix is one the engine cannot convert (only BT.601 and BT.709 are). */
  | 'unsupported-colour'
  /** The container or the coded data is damaged: demuxing or decoding failed part way. */
  | 'corrupt'
  /** WebCodecs' VideoDecoder is missing (Node, or a very old browser). */
  | 'no-decoder'
  /** The reader was used after close(). */
  | 'closed';

export class MediaInputError extends Error {
  constructor(
    /** File name (or URL) the error is about; the message already mentions it. */
    readonly file: string,
    readonly code: MediaInputErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MediaInputError';
  }
}

/** The last path segment of a URL or path, for messages ("clip.webm", not the whole URL). */
export function displayName(source: string): string {
  const withoutQuery = source.split(/[?#]/, 1)[0] ?? source;
  const segments = withoutQuery.split('/').filter((s) => s.length > 0);
  return segments[segments.length - 1] ?? source;
}

/** The message of any thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
