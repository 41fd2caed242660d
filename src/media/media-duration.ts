// A media file's duration, read from its container with Mediabunny (what a StoryPlayer story
// opened from the viewer's files needs: StoryPlayer read durations from the media, and the
// importer needs them to time scenes and choices).
import { ALL_FORMATS, BlobSource, Input } from 'mediabunny';

/** Seconds, or null when the file is not media Mediabunny can read (or has no length). */
export async function mediaDuration(file: Blob): Promise<number | null> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    const seconds = await input.computeDuration();
    return Number.isFinite(seconds) && seconds > 0 ? seconds : null;
  } catch {
    return null;
  } finally {
    input.dispose();
  }
}
