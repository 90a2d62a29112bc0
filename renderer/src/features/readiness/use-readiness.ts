import { useEffect } from 'react';
import { selectReadiness } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';

/**
 * The readiness report of one bundle version, evaluated when the view opens and again whenever the
 * bundle's manifest changes (written again, an image built and signed into it).
 */
export function useReadiness(name: string, version: number, manifestSha256?: string) {
  const load = useAppStore((s) => s.loadReadiness);
  const report = useAppStore((s) => selectReadiness(s, name, version));
  const status = useAppStore((s) => s.readinessStatus);
  const error = useAppStore((s) => s.readinessError);

  useEffect(() => {
    void load(name, version);
  }, [load, name, version, manifestSha256]);

  return { report, loading: status === 'loading', error, reload: () => void load(name, version) };
}
