import { useState } from 'react';
import { registrationOutcome } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { CheckboxField } from '../../ui/Field.js';
import { RegisterDialogView, type RegisterDialogProps } from '../shared/RegisterDialog.js';
import { RegistrationCard } from './RegistrationCard.js';
import { datasetHref } from './route.js';

/** The rule of the contract's dataset names, checked here to say it before the round trip. */
const NAME_PATTERN = /^[\w][\w.\- ]*$/;

export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return null;
  if (trimmed.length > 120) return 'Use at most 120 characters.';
  if (!NAME_PATTERN.test(trimmed)) return 'Use letters, digits, spaces, dot, dash or underscore, starting with a letter or digit.';
  return null;
}

export type { RegisterDialogProps };

const TEXTS = {
  title: 'Register a dataset',
  browseTitle: 'Choose a file or folder',
  description: 'A CSV, TSV, JSON Lines or Parquet file, or a folder of files that share a schema. Greenhouse hashes and profiles it as a job.',
  formId: 'register-dataset-form',
  pathLabel: 'File or folder',
  pathPlaceholder: '/home/you/data/customers.csv',
  pathMissing: 'Enter the path of a file or folder, or browse for it.',
  namePlaceholder: 'customers',
  nameHint: 'Optional; defaults to the file name. Registering under an existing name adds a version when the file changed.',
  runningNote: 'Closing keeps it running; its progress stays on the Datasets page.',
};

const NATIVE_PICKERS = [
  { kind: 'file', label: 'File…' },
  { kind: 'directory', label: 'Folder…' },
] as const;

/** Register a file or folder by path (typed, pasted, or picked), then follow its job. */
export function RegisterDialog(props: RegisterDialogProps) {
  const registerDataset = useAppStore((s) => s.registerDataset);
  const pickDatasetPath = useAppStore((s) => s.pickDatasetPath);
  const dismissRegistration = useAppStore((s) => s.dismissRegistration);
  const [snapshot, setSnapshot] = useState(true);
  return (
    <RegisterDialogView
      {...props}
      texts={TEXTS}
      nameProblem={nameProblem}
      registrations={(s) => s.registrations}
      opened={(job) => {
        const outcome = registrationOutcome(job);
        return outcome && { name: outcome.name, href: datasetHref(outcome.name) };
      }}
      register={(path, name) => registerDataset({ path, name, snapshot })}
      dismiss={dismissRegistration}
      nativePickers={NATIVE_PICKERS}
      pickNative={pickDatasetPath}
      card={(registration) => <RegistrationCard registration={registration} dismissible={false} openLink={false} className="registration--in-dialog" />}
      fields={
        <CheckboxField
          label="Keep a snapshot copy in the workspace"
          checked={snapshot}
          onChange={(e) => setSnapshot(e.target.checked)}
          hint="The bytes are copied into the workspace, so this version stays readable if the file changes or moves. Files above the workspace's snapshot limit are kept by reference only."
        />
      }
    />
  );
}
