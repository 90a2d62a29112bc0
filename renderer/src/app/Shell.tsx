import { useEffect, useRef } from 'react';
import { useAppStore } from '../store/store-context.js';
import { ErrorBanner } from '../ui/ErrorBanner.js';
import { Spinner } from '../ui/Spinner.js';
import { Header } from './Header.js';
import { SECTION_DEFS } from './sections.js';
import { SideNav } from './SideNav.js';
import { useSectionHash } from './use-section-hash.js';

/** The workspace window: header, navigation and the current section. */
export function Shell() {
  useSectionHash();
  const section = useAppStore((s) => s.section);
  const closeError = useAppStore((s) => (s.workspaceError?.action === 'close' ? s.workspaceError.error : null));
  const dismiss = useAppStore((s) => s.dismissWorkspaceError);
  const streamLost = useAppStore((s) => s.eventStream === 'lost');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  // Move focus to the new section's heading, so keyboard and screen-reader users land there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [section]);

  const def = SECTION_DEFS.find((d) => d.id === section) ?? SECTION_DEFS[0]!;
  const View = def.View;

  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to content
      </a>
      <Header />
      {streamLost && (
        <p className="connection-banner" role="status">
          <Spinner />
          <span>
            Lost the connection to Greenhouse. Reconnecting… If you stopped <code>greenhouse serve</code>, start it again and open the new
            URL it prints.
          </span>
        </p>
      )}
      <div className="shell__body">
        <SideNav />
        <main id="main" className="shell__main" tabIndex={-1}>
          <div className="shell__content">
            {closeError && <ErrorBanner error={closeError} title="Could not close the workspace" onDismiss={dismiss} />}
            <View headingRef={headingRef} key={def.id} />
          </div>
        </main>
      </div>
    </div>
  );
}
