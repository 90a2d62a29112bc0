import { notebookName } from '../../../../shared/contract/index.js';
import { notebookRegistrationOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { RegisterDialogView, type RegisterDialogProps } from '../shared/RegisterDialog.js';
import { isNotebookFileName } from './display.js';
import { NotebookRegistrationCard, notebookOutcomeHref } from './NotebookRegistrationCard.js';

/** The contract's rule for names, checked here to say it before the round trip. */
export function nameProblem(name: string): string | null {
  if (!name.trim()) return null;
  const r = notebookName.safeParse(name);
  return r.success ? null : (r.error.issues[0]?.message ?? 'Not a valid name.');
}

export type RegisterNotebookDialogProps = RegisterDialogProps;

const TEXTS = {
  title: 'Register a notebook',
  browseTitle: 'Choose a notebook',
  description:
    'A Jupyter notebook (.ipynb). Greenhouse reads it as a job: its kernel, imports, the files it reads and writes, and hygiene findings. Nothing in it is run.',
  formId: 'register-notebook-form',
  pathLabel: 'Notebook file',
  pathPlaceholder: '/home/you/project/train.ipynb',
  pathMissing: 'Enter the path of a .ipynb file, or browse for it.',
  namePlaceholder: 'train',
  nameHint:
    'Optional; defaults to the file name. Registering under an existing name adds a version when the code changed (outputs and execution counts do not count).',
  runningNote: 'Closing keeps it running; its progress stays on the Notebooks page.',
};

const NATIVE_PICKERS = [{ kind: 'file', label: 'Browse…' }] as const;
const PICKER = { isWanted: isNotebookFileName, allowFolder: false };

/** Register a .ipynb by path (typed, pasted, or picked), then follow its job. */
export function RegisterNotebookDialog(props: RegisterNotebookDialogProps) {
  const registerNotebook = useAppStore((s) => s.registerNotebook);
  const pickNotebookPath = useAppStore((s) => s.pickNotebookPath);
  const dismissRegistration = useAppStore((s) => s.dismissNotebookRegistration);
  return (
    <RegisterDialogView
      {...props}
      texts={TEXTS}
      nameProblem={nameProblem}
      registrations={(s) => s.notebookRegistrations}
      opened={(job) => {
        const outcome = notebookRegistrationOutcome(job);
        return outcome && { name: outcome.name, href: notebookOutcomeHref(outcome) };
      }}
      register={(path, name) => registerNotebook({ path, name })}
      dismiss={dismissRegistration}
      nativePickers={NATIVE_PICKERS}
      pickNative={() => pickNotebookPath()}
      picker={PICKER}
      card={(registration) => <NotebookRegistrationCard registration={registration} dismissible={false} openLink={false} className="registration--in-dialog" />}
    />
  );
}
