// How the media readers (video-demuxer.ts, audio-reader.ts) open a file with Mediabunny and turn
// its failures into MediaInputErrors that name the file and say what went wrong.
import { BlobSource, BufferSource, UnsupportedInputFormatError, UrlSource } from 'mediabunny';

import { MediaInputError, describeError } from './media-input-error';

/** Bytes, a file (or other Blob) read in slices, or a URL fetched with range requests. */
export type MediaSourceInput = ArrayBuffer | Uint8Array<ArrayBuffer> | Blob | string | URL;

/** Why the last fetch failed, when one did (Mediabunny's own message is generic). */
export interface FetchFailure {
  message: string | null;
}

export function makeSource(source: MediaSourceInput, fetchFailure: FetchFailure): BufferSource | BlobSource | UrlSource {
  // A viewer's own file (opened or dropped on the page) is read where it is, slice by slice.
  if (source instanceof Blob) return new BlobSource(source);
  if (typeof source !== 'string' && !(source instanceof URL)) return new BufferSource(source);
  return new UrlSource(source, {
    // Record why a fetch failed (Mediabunny's own message is generic) and retry only once: a
    // local asset that fails twice is missing, and the default retries forever.
    fetchFn: async (input, init) => {
      try {
        const response = await fetch(input, init);
        if (!response.ok) fetchFailure.message = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
        return response;
      } catch (error) {
        fetchFailure.message = describeError(error);
        throw error;
      }
    },
    getRetryDelay: (previousAttempts) => (previousAttempts < 2 ? 0.2 : null),
  });
}

/** A Mediabunny or fetch failure as a MediaInputError naming the file. */
export function classify(
  error: unknown,
  name: string,
  what: string,
  fetchFailure: FetchFailure,
): MediaInputError {
  if (error instanceof MediaInputError) return error;
  if (fetchFailure.message !== null) {
    return new MediaInputError(name, 'not-found', `${name} could not be fetched (${fetchFailure.message}).`, { cause: error });
  }
  if (error instanceof UnsupportedInputFormatError) {
    return new MediaInputError(
      name,
      'unsupported-format',
      `${name} is not a media file Tessera can read (not MP4, WebM, WAV or another supported container).`,
      { cause: error },
    );
  }
  return new MediaInputError(name, 'corrupt', `${name} ${what}: ${describeError(error)}`, { cause: error });
}
