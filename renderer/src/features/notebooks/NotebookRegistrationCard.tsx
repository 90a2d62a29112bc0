import type { NotebookRegisterResult } from '../../../../shared/contract/index.js';
import { notebookRegistrationOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { RegistrationCardView, type RegistrationCardProps } from '../shared/RegistrationCard.js';
import { notebookOutcomeText, notebookRegistrationStatus } from './display.js';
import { notebookHref } from './route.js';

/** Opens the version an unchanged registration matched; a new one opens as the latest. */
export const notebookOutcomeHref = (outcome: NotebookRegisterResult) =>
  notebookHref(outcome.name, { version: outcome.outcome === 'unchanged' ? outcome.version : null });

/** One notebook registration: upload and job progress with Cancel, then what happened. */
export function NotebookRegistrationCard(props: RegistrationCardProps) {
  const cancel = useAppStore((s) => s.cancelNotebookRegistration);
  const dismiss = useAppStore((s) => s.dismissNotebookRegistration);
  return (
    <RegistrationCardView
      {...props}
      outcomeOf={notebookRegistrationOutcome}
      registerTitle={(name) => `Register notebook ${name}`}
      status={notebookRegistrationStatus}
      headline={notebookOutcomeText}
      href={notebookOutcomeHref}
      cancel={cancel}
      dismiss={dismiss}
    />
  );
}
