import { registrationOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { RegistrationCardView, type RegistrationCardProps } from '../shared/RegistrationCard.js';
import { outcomeText, registrationStatus } from './display.js';
import { datasetHref } from './route.js';

export type { RegistrationCardProps };

/** One dataset registration: upload and job progress with Cancel, then what happened and what to do. */
export function RegistrationCard(props: RegistrationCardProps) {
  const cancel = useAppStore((s) => s.cancelRegistration);
  const dismiss = useAppStore((s) => s.dismissRegistration);
  return (
    <RegistrationCardView
      {...props}
      outcomeOf={registrationOutcome}
      registerTitle={(name) => `Register ${name}`}
      status={registrationStatus}
      headline={outcomeText}
      href={(outcome) => datasetHref(outcome.name)}
      cancel={cancel}
      dismiss={dismiss}
    />
  );
}
