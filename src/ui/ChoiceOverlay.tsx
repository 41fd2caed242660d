// The viewer's choice, over the picture when playback reaches it: the prompt, one button per
// option (focus moves to the default one, or the first), and a countdown to the default. Digits
// 1–9 pick options too (the player's shortcuts). Choosing re-resolves the programme in place; on
// timeout nothing needs doing: the plan already assumed the default, so playback just goes on.
import { useEffect, useId, useRef } from 'react';

import { initialOption, type OpenChoice } from '../player/choices';

export interface ChoiceOverlayProps {
  open: OpenChoice;
  onChoose: (optionId: string) => void;
}

export function ChoiceOverlay({ open, onChoose }: ChoiceOverlayProps) {
  const { choice, secondsLeft } = open;
  const id = useId();
  const first = useRef<HTMLButtonElement>(null);
  const focusOption = initialOption(choice).id;

  // Focus moves into the choice when it opens (once per choice), and back where it was after.
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    first.current?.focus();
    const overlay = first.current?.closest('.choice-overlay');
    return () => {
      const lost = document.activeElement === document.body || document.activeElement === null || (overlay?.contains(document.activeElement) ?? false);
      if (lost && before?.isConnected) before.focus();
    };
  }, [choice.scene]);

  const defaultLabel = choice.options.find((o) => o.id === choice.default)?.label ?? null;
  const fraction = secondsLeft !== null && choice.timeout ? Math.max(0, Math.min(1, secondsLeft / choice.timeout)) : null;

  return (
    <section className="choice-overlay" role="dialog" aria-modal="false" aria-labelledby={`${id}-prompt`} aria-describedby={`${id}-countdown`}>
      <h2 className="choice-prompt" id={`${id}-prompt`}>
        {choice.prompt}
      </h2>
      <div className="choice-options">
        {choice.options.map((option, i) => (
          <button
            key={option.id}
            ref={option.id === focusOption ? first : undefined}
            type="button"
            className="choice-option"
            data-option={option.id}
            aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
            onClick={() => onChoose(option.id)}
          >
            {i < 9 && (
              <kbd className="choice-key" aria-hidden="true">
                {i + 1}
              </kbd>
            )}
            <span>{option.label}</span>
            {option.id === choice.default && <span className="choice-default"> (default)</span>}
          </button>
        ))}
      </div>
      <p className="choice-countdown" id={`${id}-countdown`}>
        {secondsLeft === null ? (
          'Take your time: the programme waits for your choice.'
        ) : defaultLabel ? (
          <>
            <span className="choice-seconds" data-seconds-left={secondsLeft}>
              {secondsLeft}
            </span>{' '}
            {secondsLeft === 1 ? 'second' : 'seconds'} until “{defaultLabel}” is chosen for you.
          </>
        ) : (
          <>
            <span className="choice-seconds" data-seconds-left={secondsLeft}>
              {secondsLeft}
            </span>{' '}
            {secondsLeft === 1 ? 'second' : 'seconds'} left to choose.
          </>
        )}
      </p>
      {fraction !== null && (
        <div className="choice-timer" aria-hidden="true">
          <div className="choice-timer-fill" style={{ width: `${fraction * 100}%` }} />
        </div>
      )}
    </section>
  );
}
