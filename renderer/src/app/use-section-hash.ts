import { useEffect } from 'react';
import { isSectionId } from '../store/index.js';
import { useAppStore } from '../store/store-context.js';

/** The current section lives in the URL hash (#/datasets) so reload and back/forward keep it. */
export function useSectionHash(): void {
  const section = useAppStore((s) => s.section);
  const setSection = useAppStore((s) => s.setSection);

  useEffect(() => {
    const fromHash = () => {
      const id = window.location.hash.replace(/^#\/?/, '');
      if (isSectionId(id)) setSection(id);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [setSection]);

  useEffect(() => {
    const hash = `#/${section}`;
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [section]);
}
