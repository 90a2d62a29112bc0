import { modelRegistrationOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { RegistrationCardView, type RegistrationCardProps } from '../shared/RegistrationCard.js';
import { modelOutcomeText, modelRegistrationStatus } from './display.js';
import { modelHref } from './route.js';

/** One model registration: job progress with Cancel, then what happened (with warnings) and what to do. */
export function ModelRegistrationCard(props: RegistrationCardProps) {
  const cancel = useAppStore((s) => s.cancelModelRegistration);
  const dismiss = useAppStore((s) => s.dismissModelRegistration);
  return (
    <RegistrationCardView
      {...props}
      outcomeOf={modelRegistrationOutcome}
      registerTitle={(name) => `Register ${name}`}
      status={modelRegistrationStatus}
      headline={modelOutcomeText}
      href={(outcome) => modelHref(outcome.name)}
      cancel={cancel}
      dismiss={dismiss}
    />
  );
}
