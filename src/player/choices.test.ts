import { describe, expect, it } from 'vitest';

import type { PlanScene, Reason } from '../programme/plan';
import { choicesOfPlan, initialOption, openChoiceAt } from './choices';

const reason = {} as Reason;

function scene(id: string, start: number, duration: number, choice?: Partial<NonNullable<PlanScene['choice']>>): PlanScene {
  const base = { scene: id, id, start, duration, end: start + duration, fullDuration: duration, alternative: null } as PlanScene;
  if (!choice) return base;
  return {
    ...base,
    choice: {
      prompt: 'What next?',
      options: [
        { id: 'a', label: 'Option A', scene: 'a', available: true, reason },
        { id: 'b', label: 'Option B', scene: 'b', available: false, reason },
        { id: 'c', label: 'Option C', scene: 'c', available: true, reason },
      ],
      at: 4,
      timeout: 6,
      default: 'c',
      oneShot: true,
      taken: null,
      reason: 'not chosen yet',
      ...choice,
    },
  };
}

describe('choicesOfPlan', () => {
  it('lists each choice with its available options and its opening time in programme seconds', () => {
    const choices = choicesOfPlan([scene('intro', 0, 114), scene('access', 114, 10, {}), scene('captions', 124, 16)]);
    expect(choices).toEqual([
      {
        scene: 'access',
        prompt: 'What next?',
        options: [
          { id: 'a', label: 'Option A' },
          { id: 'c', label: 'Option C' },
        ],
        opensAt: 118,
        timeout: 6,
        default: 'c',
        taken: null,
      },
    ]);
  });

  it('opens a choice at the end of a scene trimmed shorter than its `at`, drops unavailable defaults and empty choices', () => {
    const [trimmed] = choicesOfPlan([scene('s', 10, 2, { default: 'b' })]);
    expect(trimmed?.opensAt).toBe(12);
    expect(trimmed?.default).toBeNull();
    const none = scene('n', 0, 5, {});
    none.choice!.options = none.choice!.options.map((o) => ({ ...o, available: false }));
    expect(choicesOfPlan([none])).toEqual([]);
  });

  it('reports an option already taken', () => {
    expect(choicesOfPlan([scene('access', 0, 10, { taken: 'a' })])[0]?.taken).toBe('a');
  });
});

describe('openChoiceAt', () => {
  const [choice] = choicesOfPlan([scene('access', 114, 10, {})]);
  const choices = [choice!];

  it('is closed before the opening time and after the timeout', () => {
    expect(openChoiceAt(choices, 117.9)).toBeNull();
    expect(openChoiceAt(choices, 124)).toBeNull();
  });

  it('counts down the whole seconds to the default', () => {
    expect(openChoiceAt(choices, 118)?.secondsLeft).toBe(6);
    expect(openChoiceAt(choices, 118.5)?.secondsLeft).toBe(6);
    expect(openChoiceAt(choices, 119)?.secondsLeft).toBe(5);
    expect(openChoiceAt(choices, 123.9)?.secondsLeft).toBe(1);
  });

  it('closes once answered, in the plan or by the viewer', () => {
    expect(openChoiceAt(choices, 119, { access: 'a' })).toBeNull();
    expect(openChoiceAt([{ ...choice!, taken: 'a' }], 119)).toBeNull();
  });

  it('stays open without a timeout, and focuses the default option first', () => {
    const open = openChoiceAt([{ ...choice!, timeout: null }], 500);
    expect(open?.secondsLeft).toBeNull();
    expect(initialOption(choice!).id).toBe('c');
    expect(initialOption({ ...choice!, default: null }).id).toBe('a');
  });
});
