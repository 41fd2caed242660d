// The viewer's choices, as the page sees them: which choices the plan's path holds (prompt,
// options the viewer may take, when each opens in programme time, its timeout and default), and
// which one is open at a moment. Pure and DOM-free: the worker extracts them from each plan, the
// choice overlay asks which is open.
import type { PlanScene } from '../programme/plan';
import type { ViewerContext } from './protocol';

export interface ChoiceOptionInfo {
  id: string;
  label: string;
}

export interface ChoiceInfo {
  /** The scene's id: the key of the viewer context's `choices` object. */
  scene: string;
  prompt: string;
  /** The options the viewer may take (those whose condition holds), in programme order. */
  options: ChoiceOptionInfo[];
  /** When the choice opens, in programme seconds. */
  opensAt: number;
  /** Seconds it stays open (null: until the viewer chooses). */
  timeout: number | null;
  /** The option taken on timeout (null: none; the path waits). */
  default: string | null;
  /** The option already taken (from the viewer's context, or an earlier visit of a one-shot choice). */
  taken: string | null;
}

/** The choices on a plan's path, in path order; choices with no option available are left out. */
export function choicesOfPlan(path: readonly PlanScene[]): ChoiceInfo[] {
  const out: ChoiceInfo[] = [];
  for (const scene of path) {
    const choice = scene.choice;
    if (!choice) continue;
    const options = choice.options.filter((o) => o.available).map((o) => ({ id: o.id, label: o.label }));
    if (options.length === 0) continue;
    // `at` counts from the scene's start; a scene trimmed to fit shorter than `at` opens it at its end.
    const opensAt = scene.start + Math.min(Math.max(0, choice.at), scene.duration);
    const fallback = options.some((o) => o.id === choice.default) ? choice.default : null;
    out.push({ scene: scene.id, prompt: choice.prompt, options, opensAt, timeout: choice.timeout, default: fallback, taken: choice.taken });
  }
  return out;
}

/** A choice open at a moment, and the whole seconds left before its default is taken. */
export interface OpenChoice {
  choice: ChoiceInfo;
  /** Seconds until the default is taken, rounded up (null: no timeout). */
  secondsLeft: number | null;
}

/**
 * The choice open at programme time `time`: reached, not yet timed out, and not answered (in the
 * plan or, before the worker's new plan arrives, in the viewer's `answered` choices).
 */
export function openChoiceAt(choices: readonly ChoiceInfo[], time: number, answered: Readonly<Record<string, string>> = {}): OpenChoice | null {
  for (const choice of choices) {
    if (choice.taken !== null || answered[choice.scene] !== undefined) continue;
    if (time < choice.opensAt) continue;
    if (choice.timeout === null) return { choice, secondsLeft: null };
    const left = choice.opensAt + choice.timeout - time;
    if (left > 0) return { choice, secondsLeft: Math.ceil(left - 1e-9) };
  }
  return null;
}

/** The option to focus when a choice opens: the default, else the first. */
export function initialOption(choice: ChoiceInfo): ChoiceOptionInfo {
  return choice.options.find((o) => o.id === choice.default) ?? choice.options[0]!;
}

/** The context without the viewer's answers (a new programme's choices start unanswered). */
export function withoutChoices({ choices: _answered, ...others }: ViewerContext): ViewerContext {
  return others;
}
