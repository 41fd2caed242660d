// The player: the picture with its overlays (loading and buffering, the viewer's choice,
// statistics), the control bar, the keyboard shortcuts and the help dialog, the Media Session,
// and announcements of state changes. This area is what goes full screen.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

import { rememberPreferences } from '../player/preferences';
import { chapterAt, chapterName, type Chapter } from '../player/chapters';
import { openChoiceAt, type ChoiceInfo, type OpenChoice } from '../player/choices';
import type { PlayerController, ProgrammeRequest } from '../player/controller';
import { Announcements, Announcer, useAnnounce } from './announcer';
import { ChoiceOverlay } from './ChoiceOverlay';
import { HelpDialog } from './HelpDialog';
import { shortcutFor, type ShortcutAction } from './keyboard-shortcuts';
import { PlayerStatus } from './PlayerStatus';
import { Stage } from './Stage';
import { StatsOverlay } from './StatsOverlay';
import { usePlayer } from './store-context';
import { Transport } from './Transport';
import { useFullscreen } from './use-fullscreen';
import { useMediaSession } from './use-media-session';

export interface PlayerAreaProps {
  controller: PlayerController;
  /** The programme requested (null: the test card, without controls). */
  programme: ProgrammeRequest | null;
  /** The M key: sound off or on (the sound controls provide it; without them M does nothing). */
  onToggleMute?: () => void;
  /** More controls for the control bar (e.g. sound), inside the area so they stay in full screen. */
  children?: ReactNode;
  /** More controls for the bar's extras (e.g. the volume; behind "More" on a narrow screen). */
  extras?: ReactNode;
}

const NO_CHOICES: ChoiceInfo[] = [];
const NO_CHAPTERS: Chapter[] = [];
const NO_ANSWERS: Record<string, string> = {};

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // denied by the browser's privacy settings
  }
}

export function PlayerArea(props: PlayerAreaProps) {
  return (
    <Announcer>
      <PlayerAreaInner {...props} />
    </Announcer>
  );
}

function PlayerAreaInner({ controller, programme, onToggleMute, children, extras }: PlayerAreaProps) {
  const area = useRef<HTMLElement>(null);
  const fullscreen = useFullscreen(area);
  const announce = useAnnounce();
  const [statsOpen, setStatsOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);

  const info = usePlayer((s) => s.programme);
  const state = usePlayer((s) => s.playback?.state ?? null);
  const time = usePlayer((s) => s.playback?.time ?? 0);
  const rate = usePlayer((s) => s.playback?.rate ?? 1);
  const context = usePlayer((s) => s.context);
  const shown = usePlayer((s) => s.playback?.firstFrameEpochMs != null);
  const choices = info?.choices ?? NO_CHOICES;
  const chapters = info?.scenes ?? NO_CHAPTERS;
  const duration = info?.duration ?? 0;
  const answered = context.choices ?? NO_ANSWERS;
  const open: OpenChoice | null = useMemo(() => openChoiceAt(choices, time, answered), [choices, time, answered]);

  const clamp = (t: number) => Math.min(Math.max(0, t), duration);
  const commands = {
    togglePlay() {
      if (state === 'playing') controller.pause();
      else {
        if (state === 'ended') controller.seek(0);
        controller.play();
      }
    },
    seek(t: number) {
      controller.seek(clamp(t));
    },
    choose(option: string) {
      if (!open) return;
      const label = open.choice.options.find((o) => o.id === option)?.label ?? option;
      controller.choose(open.choice.scene, option);
      announce(`You chose: ${label}`);
    },
    toggleCaptions() {
      if (!info || info.captionLanguages.length === 0) return;
      const on = !(context.captions ?? info.context.captions ?? false);
      const language = context.captionsLanguage ?? info.context.captionsLanguage ?? info.captionLanguages[0]!;
      controller.setContext({ captions: on });
      rememberPreferences(storage(), { context: { captions: on, captionsLanguage: language } });
      announce(on ? 'Captions on' : 'Captions off');
    },
  };

  // ---- Announcements of what changed -----------------------------------------------------------
  const lastState = useRef<string | null>(null);
  useEffect(() => {
    const before = lastState.current;
    lastState.current = state;
    if (before === null || state === null || before === state) return;
    announce(state === 'playing' ? 'Playing' : state === 'ended' ? 'The programme has ended' : 'Paused');
  }, [state, announce]);

  const chapter = chapterAt(chapters, time);
  const chapterKey = chapter ? `${chapter.id}@${chapter.start}` : null;
  const lastChapter = useRef<string | null>(null);
  useEffect(() => {
    if (!shown) return; // the chapter a programme starts in is not news
    const before = lastChapter.current;
    lastChapter.current = chapterKey;
    if (before !== null && chapterKey !== null && before !== chapterKey && chapter) announce(`Chapter: ${chapterName(chapter)}`);
  }, [chapterKey, chapter, shown, announce]);

  const lastOpen = useRef<OpenChoice | null>(null);
  useEffect(() => {
    const before = lastOpen.current;
    lastOpen.current = open;
    if (open && before?.choice.scene !== open.choice.scene) {
      const options = open.choice.options.map((o, i) => `${i + 1}: ${o.label}`).join(', ');
      const fallback = open.choice.options.find((o) => o.id === open.choice.default);
      const countdown = open.secondsLeft !== null && fallback ? ` ${fallback.label} in ${open.secondsLeft} seconds unless you choose.` : '';
      announce(`Choice: ${open.choice.prompt} ${options}.${countdown}`);
    } else if (!open && before && before.choice.timeout !== null && answered[before.choice.scene] === undefined) {
      const timedOut = time >= before.choice.opensAt + before.choice.timeout;
      const fallback = before.choice.options.find((o) => o.id === before.choice.default);
      if (timedOut && fallback) announce(`Chosen for you: ${fallback.label}`);
    }
  }, [open, answered, time, announce]);

  // ---- Keyboard shortcuts ---------------------------------------------------------------------
  const run = (action: ShortcutAction) => {
    switch (action.type) {
      case 'toggle-play':
        return commands.togglePlay();
      case 'seek-by':
        return commands.seek(time + action.seconds);
      case 'jump':
        return commands.seek(duration * action.fraction);
      case 'choose': {
        const option = open?.choice.options[action.index];
        if (option) commands.choose(option.id);
        return;
      }
      case 'toggle-mute':
        return onToggleMute?.();
      case 'toggle-captions':
        return commands.toggleCaptions();
      case 'toggle-fullscreen':
        return fullscreen.supported ? fullscreen.toggle() : undefined;
      case 'toggle-stats':
        return setStatsOpen((v) => !v);
      case 'help':
        return setHelpOpen(true);
    }
  };
  // The listener is registered once and calls the latest render's handler.
  const onKey = useRef<(event: KeyboardEvent) => void>(() => {});
  onKey.current = (event: KeyboardEvent) => {
    if (!programme || helpOpen || event.defaultPrevented) return;
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const focus = focused
      ? { tagName: focused.tagName, type: focused.getAttribute('type') ?? undefined, role: focused.getAttribute('role'), isContentEditable: focused.isContentEditable }
      : null;
    const action = shortcutFor(event, focus, open !== null);
    if (!action) return;
    event.preventDefault(); // Space would scroll, arrows too
    run(action);
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  useMediaSession(
    { title: info ? info.title : null, state, time, duration, rate, chapters },
    { play: () => controller.play(), pause: () => controller.pause(), seek: (t) => controller.seek(t) },
  );

  return (
    <section className="player" ref={area} aria-label={info?.title ? `Player: ${info.title}` : 'Player'} data-fullscreen={fullscreen.active}>
      <div className="player-picture">
        <Stage controller={controller} programme={programme} />
        <PlayerStatus expectingProgramme={programme !== null} />
        {programme && statsOpen && <StatsOverlay />}
        {programme && open && <ChoiceOverlay open={open} onChoose={commands.choose} />}
      </div>
      {programme && (
        <Transport
          controller={controller}
          onTogglePlay={commands.togglePlay}
          onSeek={commands.seek}
          fullscreen={fullscreen}
          statsOpen={statsOpen}
          onToggleStats={() => setStatsOpen((v) => !v)}
          onHelp={() => setHelpOpen(true)}
          extras={extras}
        >
          {children}
        </Transport>
      )}
      {programme && <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />}
      <Announcements />
    </section>
  );
}
