// The viewer shell: the engine's picture and a readout. React renders state; the controller and
// the worker own it. With ?programme=… it plays that programme, else it shows the test card; a
// programme the viewer opens from their files (dropped, or picked with Open) replaces either.
import { useEffect, useState } from 'react';

import type { PlayerController, ProgrammeRequest } from '../player/controller';
import { AudioDescriptionControl, DialogueBalanceControl, SoundControls, toggleMute, VolumeControl } from './AudioControls';
import type { ViewerSession } from '../player/viewer-session';
import { CaptionChoice, CaptionSettingsPanel } from './CaptionSettingsPanel';
import { CaptionsLiveRegion } from './CaptionsLiveRegion';
import { FrameReadout } from './FrameReadout';
import { OpenProgramme } from './OpenProgramme';
import { PlaybackStats } from './PlaybackStats';
import { PlayerArea } from './PlayerArea';
import { SettingsPanel } from './SettingsPanel';
import { usePlayer } from './store-context';
import { ViewerNotices } from './ViewerNotices';

declare global {
  interface Window {
    /** The page's player, for tests and the console (commands only; state is in the store). */
    tesseraPlayer?: PlayerController;
  }
}

export interface AppProps {
  /** The player (started before React renders, so loading overlaps rendering). */
  controller: PlayerController;
  programme?: ProgrammeRequest | null;
  /** Why the address's programme was refused (the test card is shown instead). */
  problem?: string | null;
  /** The viewer's context choices (settings panel), presets and resume point. */
  session?: ViewerSession;
}

export function App({ controller, programme: asked = null, problem = null, session }: AppProps) {
  const ready = usePlayer((s) => s.status === 'ready');
  // A programme opened from the viewer's files brings the controls to a page that had none (the
  // test card's); one request object from then on, so the stage keeps its canvas.
  const openedUrl = usePlayer((s) => (s.programme?.local ? s.programme.url : null));
  const [opened, setOpened] = useState<ProgrammeRequest | null>(null);
  useEffect(() => {
    if (openedUrl !== null && asked === null) setOpened((previous) => previous ?? { url: openedUrl });
  }, [openedUrl, asked]);
  const programme = asked ?? opened;
  return (
    <main className="app">
      <header className="app-header">
        <h1>Tessera</h1>
        <p>Object-based media, composed for you.</p>
      </header>
      {problem && (
        <p className="readout-error" role="alert">
          The programme was not loaded: {problem}
        </p>
      )}
      {session && <ViewerNotices session={session} />}
      <PlayerArea
        controller={controller}
        programme={programme}
        onToggleMute={() => toggleMute(controller)}
        extras={programme && <VolumeControl controller={controller} />}
      >
        {programme && <SoundControls controller={controller} />}
      </PlayerArea>
      {programme && <CaptionsLiveRegion />}
      <footer className="app-footer">
        {programme && <CaptionChoice controller={controller} />}
        {programme && <CaptionSettingsPanel controller={controller} />}
        {programme && session && (
          <SettingsPanel
            session={session}
            controls={{
              dialogueBalance: <DialogueBalanceControl controller={controller} session={session} />,
              audioDescription: <AudioDescriptionControl controller={controller} session={session} />,
            }}
          />
        )}
        <FrameReadout />
        {programme ? (
          <PlaybackStats />
        ) : (
          <button type="button" disabled={!ready} onClick={() => controller.renderTestCard()}>
            Render again
          </button>
        )}
      </footer>
      {/* After the player: a viewer meets the picture and its controls first (on a phone, on the
          first screen); opening another programme is for producers and the curious. */}
      <OpenProgramme controller={controller} />
    </main>
  );
}
