import type { AppErrorData } from '../../../shared/result.js';
import { Button } from './Button.js';
import { ErrorBanner } from './ErrorBanner.js';

/** A failed load with Try again. */
export function LoadProblem({ error, title, onRetry }: { error: AppErrorData; title: string; onRetry: () => void }) {
  return (
    <ErrorBanner
      error={error}
      title={title}
      actions={
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      }
    />
  );
}
