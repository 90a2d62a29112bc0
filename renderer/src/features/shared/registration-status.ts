import type { Job } from '../../../../shared/contract/index.js';
import type { Registration } from '../../store/index.js';

/**
 * What a registration card says while it is not finished or when it could not start;
 * `working` is what a running job says until it has a message of its own.
 */
export function registrationStatusText(registration: Registration, job: Job | undefined, working: string): string {
  if (registration.stage === 'uploading') return `Uploading ${registration.label} to the workspace…`;
  if (registration.stage === 'cancelled') return 'Upload cancelled. Nothing was registered.';
  if (registration.stage === 'failed') return 'Could not start the registration.';
  if (registration.stage === 'starting' || !job) return 'Starting…';
  switch (job.state) {
    case 'queued':
      return 'Waiting for other jobs to finish…';
    case 'running':
      return job.message || working;
    case 'cancelled':
      return 'Cancelled. Nothing was registered.';
    case 'failed':
      return 'Registration failed.';
    case 'interrupted':
      return 'Greenhouse stopped while this was running. Nothing was registered.';
    case 'succeeded':
      return job.message || 'Done.';
  }
}
