// How environment facts read: sources, interpreter kinds, capture outcomes and mismatches.
import type { EnvironmentCaptureResult, EnvironmentMismatch, EnvironmentSource, Job, PythonCandidate } from '../../../../shared/contract/index.js';
import type { Registration } from '../../store/index.js';
import type { BadgeTone } from '../../ui/Badge.js';
import { registrationStatusText } from '../shared/registration-status.js';

export const SOURCE_LABELS: Record<EnvironmentSource, string> = {
  interpreter: 'Interpreter',
  requirements: 'requirements.txt',
  pyproject: 'pyproject.toml',
  'conda-yml': 'environment.yml',
};

export const PYTHON_KIND_LABELS: Record<PythonCandidate['kind'], string> = {
  venv: 'virtualenv',
  conda: 'conda',
  pyenv: 'pyenv',
  system: 'system',
};

export const MISMATCH_DISPLAY: Record<EnvironmentMismatch['kind'], { label: string; tone: BadgeTone }> = {
  'missing-package': { label: 'Missing', tone: 'danger' },
  'version-differs': { label: 'Version differs', tone: 'warning' },
};

/** The headline of a finished capture; "unchanged" says why nothing was made. */
export function captureOutcomeText(result: EnvironmentCaptureResult): string {
  const packages = `${result.packages} package${result.packages === 1 ? '' : 's'}`;
  switch (result.outcome) {
    case 'created':
      return `Captured ${result.name} as a new environment (version ${result.version}, ${packages}).`;
    case 'new-version':
      return `Captured version ${result.version} of ${result.name}: its packages changed (${packages}).`;
    case 'unchanged':
      return `Nothing changed: the packages are the same as ${result.name} version ${result.version}, so no new version was made.`;
  }
}

/** What a capture card says while it is not finished or when it could not start. */
export const captureStatus = (registration: Registration, job: Job | undefined) =>
  registrationStatusText(registration, job, 'Asking the interpreter for its packages…');
