// The viewer's audio controls: dialogue balance (broadcast mix … clearest dialogue), audio
// description, volume and mute. Each change goes to the worker at once (balance and description as
// viewer context, the plan re-resolved in place; volume and mute as engine controls) and is saved
// for the next visit. Native inputs with labels: keyboard-operable as they are.
import { useId } from 'react';

import type { PlayerController } from '../player/controller';
import { saveAudioSettings, type AudioSettings } from '../player/audio-settings';
import { usePlayer } from './store-context';

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // denied by the browser's privacy settings: settings last for this visit
  }
}

/** Mute on or off (the M key), saved like the other audio settings. */
export function toggleMute(controller: PlayerController): void {
  const settings = controller.audioSettings();
  const next = { ...settings, muted: !settings.muted };
  controller.setAudioSettings(next);
  saveAudioSettings(storage(), next);
}

export function AudioControls({ controller }: { controller: PlayerController }) {
  const settings = usePlayer((s) => s.audioSettings);
  const audio = usePlayer((s) => s.audio);
  const id = useId();
  const change = (patch: Partial<AudioSettings>) => {
    const next = { ...settings, ...patch };
    controller.setAudioSettings(next);
    saveAudioSettings(storage(), next);
  };
  const balanceText = settings.dialogueBalance <= 0 ? 'Broadcast mix' : settings.dialogueBalance >= 1 ? 'Clearest dialogue' : `${Math.round(settings.dialogueBalance * 100)}% towards clearest dialogue`;
  return (
    <fieldset className="audio-controls">
      <legend>Sound</legend>
      <div className="audio-control">
        <label htmlFor={`${id}-balance`}>Dialogue balance</label>
        <span id={`${id}-balance-ends`} className="audio-range-ends">
          Broadcast mix … Clearest dialogue
        </span>
        <input
          id={`${id}-balance`}
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={settings.dialogueBalance}
          aria-describedby={`${id}-balance-ends`}
          aria-valuetext={balanceText}
          onChange={(event) => change({ dialogueBalance: Number(event.currentTarget.value) })}
        />
      </div>
      <div className="audio-control">
        <input
          id={`${id}-description`}
          type="checkbox"
          checked={settings.audioDescription}
          onChange={(event) => change({ audioDescription: event.currentTarget.checked })}
        />
        <label htmlFor={`${id}-description`}>Audio description</label>
      </div>
      <div className="audio-control">
        <label htmlFor={`${id}-volume`}>Volume</label>
        <input
          id={`${id}-volume`}
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={settings.volume}
          aria-valuetext={`${Math.round(settings.volume * 100)}%`}
          onChange={(event) => change({ volume: Number(event.currentTarget.value) })}
        />
        <button type="button" aria-pressed={settings.muted} onClick={() => change({ muted: !settings.muted })}>
          Mute
        </button>
      </div>
      {audio.available === false && (
        <p className="audio-status" role="status">
          No sound: {audio.problem ?? 'this browser cannot play it'}.
        </p>
      )}
      {audio.available !== false && !audio.running && (
        <button type="button" className="audio-start" onClick={() => controller.unlockAudio()}>
          Turn sound on
        </button>
      )}
    </fieldset>
  );
}
