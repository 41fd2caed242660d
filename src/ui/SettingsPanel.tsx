// The viewer's settings: a control for every viewer-context variable the programme declares
// (switches for on/off, lists for listed values, sliders for ranges), in two groups — the
// programme (language, time available, layout, time of day, anything else) and accessibility
// (sign language, audio description, dialogue balance). A change applies at once: the programme
// re-resolves where it is, without starting again. Captions on/off and their language are not
// repeated here: the caption controls beside the picture (CaptionChoice) are there whenever the
// programme has captions.
import { useId, type ReactNode } from 'react';
import { useStore } from 'zustand';

import { fitsVariable } from '../player/context-variables';
import type { ContextValue, ContextVariable } from '../player/protocol';
import type { ViewerSession } from '../player/viewer-session';
import { usePlayer } from './store-context';

/** Context keys shown under "Accessibility" (the rest are under "Programme"). */
const ACCESSIBILITY_KEYS = ['signLanguage', 'audioDescription', 'dialogueBalance'];
/** Context keys with their own controls elsewhere (CaptionChoice). */
const CAPTION_KEYS = ['captions', 'captionsLanguage'];

const KEY_LABELS: Record<string, string> = {
  language: 'Language',
  captions: 'Captions',
  captionsLanguage: 'Caption language',
  signLanguage: 'Sign language',
  audioDescription: 'Audio description',
  dialogueBalance: 'Dialogue balance',
  timeAvailable: 'Time available',
  orientation: 'Layout',
  timeOfDay: 'Time of day',
  deviceClass: 'Device',
};

export const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  cy: 'Cymraeg (Welsh)',
  gd: 'Gàidhlig (Gaelic)',
  ga: 'Gaeilge (Irish)',
};

const ORIENTATION_NAMES: Record<string, string> = { landscape: 'Landscape', portrait: 'Portrait', square: 'Square' };

/** The versions of a programme a time-available list offers when it lists none (the demo's). */
const TIME_AVAILABLE_CHOICES = [0, 60, 120, 180];

/** "timeOfDay" → "Time of day", for variables the player has no name for. */
function labelFor(variable: ContextVariable): string {
  const known = KEY_LABELS[variable.key];
  if (known) return known;
  const words = variable.name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function minutes(seconds: number): string {
  if (seconds === 0) return 'Full programme';
  if (seconds % 60 === 0) return seconds === 60 ? '1 minute' : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

function hour(value: number): string {
  const h = Math.floor(value);
  const m = Math.round((value - h) * 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** How a value is shown in a list or read out for a slider. */
function valueLabel(key: string, value: ContextValue): string {
  if (key === 'language' || key === 'captionsLanguage') return LANGUAGE_NAMES[String(value)] ?? String(value);
  if (key === 'orientation') return ORIENTATION_NAMES[String(value)] ?? String(value);
  if (key === 'timeAvailable' && typeof value === 'number') return minutes(value);
  if (key === 'timeOfDay' && typeof value === 'number') return hour(value);
  if (key === 'dialogueBalance' && typeof value === 'number') {
    if (value === 0) return 'Broadcast mix';
    if (value === 1) return 'Clearest dialogue';
    return `${Math.round(value * 100)} % towards clearest dialogue`;
  }
  return String(value);
}

function Setting({ id, label, hint, children }: { id: string; label: string; hint?: string | undefined; children: ReactNode }) {
  return (
    <div className="viewer-setting">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <small id={`${id}-hint`} className="viewer-setting-hint">
          {hint}
        </small>
      )}
    </div>
  );
}

interface ControlProps {
  variable: ContextVariable;
  value: ContextValue | undefined;
  onChange: (value: ContextValue) => void;
}

/** The control for one variable, chosen by its declaration. */
function VariableControl({ variable, value, onChange }: ControlProps) {
  const id = useId();
  const label = labelFor(variable);
  const hint = variable.description;
  const described = hint ? { 'aria-describedby': `${id}-hint` } : {};
  const { key } = variable;

  if (variable.type === 'boolean') {
    return (
      <Setting id={id} label={label} hint={hint}>
        <input autoComplete="off" id={id} type="checkbox" role="switch" checked={value === true} onChange={(e) => onChange(e.target.checked)} {...described} />
      </Setting>
    );
  }

  let choices: (string | number)[] | null = variable.values ?? null;
  if (!choices && key === 'timeAvailable') choices = TIME_AVAILABLE_CHOICES.filter((v) => fitsVariable(variable, v));
  if (choices) {
    if (value !== undefined && typeof value !== 'boolean' && !choices.includes(value)) choices = [...choices, value];
    return (
      <Setting id={id} label={label} hint={hint}>
        <select
          autoComplete="off"
          id={id}
          value={value === undefined ? '' : String(value)}
          onChange={(e) => onChange(variable.type === 'number' ? Number(e.target.value) : e.target.value)}
          {...described}
        >
          {choices.map((choice) => (
            <option key={String(choice)} value={String(choice)} {...(key === 'language' ? { lang: String(choice) } : {})}>
              {valueLabel(key, choice)}
            </option>
          ))}
        </select>
      </Setting>
    );
  }

  if (variable.type === 'number') {
    const number = typeof value === 'number' ? value : (variable.min ?? 0);
    if (variable.min !== undefined && variable.max !== undefined) {
      const step = variable.max - variable.min <= 1 ? 0.05 : variable.max - variable.min <= 24 ? 0.5 : 1;
      return (
        <Setting id={id} label={label} hint={hint}>
          <input
            autoComplete="off"
            id={id}
            type="range"
            min={variable.min}
            max={variable.max}
            step={step}
            value={number}
            aria-valuetext={valueLabel(key, number)}
            onChange={(e) => onChange(Number(e.target.value))}
            {...described}
          />
          <output htmlFor={id}>{valueLabel(key, number)}</output>
        </Setting>
      );
    }
    return (
      <Setting id={id} label={label} hint={hint}>
        <input
          autoComplete="off"
          id={id}
          type="number"
          {...(variable.min !== undefined ? { min: variable.min } : {})}
          {...(variable.max !== undefined ? { max: variable.max } : {})}
          value={number}
          onChange={(e) => {
            const next = Number(e.target.value);
            if (e.target.value !== '' && fitsVariable(variable, next)) onChange(next);
          }}
          {...described}
        />
      </Setting>
    );
  }

  // A free-text variable: applied when the viewer leaves the field (not on every keystroke).
  return (
    <Setting id={id} label={label} hint={hint}>
      <input
        autoComplete="off"
        id={id}
        type="text"
        defaultValue={value === undefined ? '' : String(value)}
        onBlur={(e) => {
          if (fitsVariable(variable, e.target.value.trim())) onChange(e.target.value.trim());
        }}
        {...described}
      />
    </Setting>
  );
}

/** Layout: automatic (follows the screen) or one the viewer picks. */
function LayoutControl({ variable, session }: { variable: ContextVariable; session: ViewerSession }) {
  const id = useId();
  const layout = useStore(session.state, (s) => s.layout);
  const values = (variable.values ?? ['landscape', 'portrait']).map(String);
  return (
    <Setting id={id} label={labelFor(variable)}>
      <select autoComplete="off" id={id} value={layout ?? ''} onChange={(e) => session.chooseLayout(e.target.value === '' ? null : e.target.value)}>
        <option value="">Automatic (follows the screen)</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {valueLabel('orientation', v)}
          </option>
        ))}
      </select>
    </Setting>
  );
}

export interface SettingsPanelProps {
  session: ViewerSession;
  /**
   * Controls of the app's own for some context keys, shown in place of the generic one (e.g. the
   * audio controls' audio-description toggle and dialogue-balance slider).
   */
  controls?: Partial<Record<string, ReactNode>>;
  /** Extra controls at the end of the Accessibility group. */
  accessibilityExtras?: ReactNode;
}

export function SettingsPanel({ session, controls = {}, accessibilityExtras }: SettingsPanelProps) {
  const programme = usePlayer((s) => s.programme);
  const context = usePlayer((s) => s.context);
  const shown = programme?.variables.filter((v) => !CAPTION_KEYS.includes(v.key)) ?? [];
  if (!programme || shown.length === 0) return null;

  // What a control shows: the viewer's value when the programme can use it, else the plan's.
  const current = (variable: ContextVariable): ContextValue | undefined => {
    const chosen = context[variable.key];
    if (chosen !== undefined && typeof chosen !== 'object' && fitsVariable(variable, chosen)) return chosen;
    const effective = programme.context[variable.key];
    return effective !== undefined && typeof effective !== 'object' ? effective : variable.default;
  };
  const control = (variable: ContextVariable) =>
    controls[variable.key] !== undefined ? (
      <div key={variable.name}>{controls[variable.key]}</div>
    ) : variable.key === 'orientation' ? (
      <LayoutControl key={variable.name} variable={variable} session={session} />
    ) : (
      <VariableControl
        key={variable.name}
        variable={variable}
        value={current(variable)}
        onChange={(value) => session.choose({ [variable.key]: value })}
      />
    );

  const accessibility = shown.filter((v) => ACCESSIBILITY_KEYS.includes(v.key));
  const general = shown.filter((v) => !ACCESSIBILITY_KEYS.includes(v.key));

  return (
    <details className="viewer-settings" id="viewer-settings">
      <summary>Settings</summary>
      {general.length > 0 && (
        <fieldset className="viewer-settings-group">
          <legend>Programme</legend>
          {general.map(control)}
        </fieldset>
      )}
      <fieldset className="viewer-settings-group" id="accessibility-settings">
        <legend>Accessibility</legend>
        {accessibility.map(control)}
        {accessibilityExtras}
      </fieldset>
    </details>
  );
}
