import { captureOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { RegistrationCardView, type RegistrationCardProps } from '../shared/RegistrationCard.js';
import { captureOutcomeText, captureStatus } from './display.js';
import { environmentHref } from './route.js';

/** One environment capture: job progress with Cancel, then what happened and what to do. */
export function CaptureCard(props: RegistrationCardProps) {
  const cancel = useAppStore((s) => s.cancelCapture);
  const dismiss = useAppStore((s) => s.dismissCapture);
  return (
    <RegistrationCardView
      {...props}
      outcomeOf={captureOutcome}
      registerTitle={(name) => `Capture ${name}`}
      status={captureStatus}
      headline={captureOutcomeText}
      href={(outcome) => environmentHref(outcome.name)}
      cancel={cancel}
      dismiss={dismiss}
    />
  );
}
