import { useCallback, useState } from 'react';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { IconPackage, IconShieldCheck } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { useFocusOnChange } from '../../ui/use-focus-on-change.js';
import { ArchiveList } from '../archives/ArchiveList.js';
import { ArchivePage } from '../archives/ArchivePage.js';
import { OpenArchiveDialog } from '../archives/OpenArchiveDialog.js';
import type { SectionProps } from '../section-props.js';
import { BundleList } from './BundleList.js';
import { BundlePage } from './BundlePage.js';
import './bundles.css';
import { PackageWizard } from './PackageWizard.js';
import { packageHref } from './route.js';

/** The Bundles section: the list (with the archives opened for review), the package wizard, one bundle's page, or an archive's. */
export function BundlesView({ headingRef }: SectionProps) {
  const route = useAppStore((s) => s.bundleRoute);
  const view = useAppStore((s) => s.bundlesView);
  const archive = useAppStore((s) => s.archiveRoute);
  const [opening, setOpening] = useState(false);
  const closeOpening = useCallback(() => setOpening(false), []);
  // The same order as formatBundlePath: a bundle page, the wizard, an archive's page, the list.
  const shownArchive = !route && view !== 'wizard' ? archive : null;
  useFocusOnChange(route ? `bundle:${route.name}@${route.version}` : shownArchive ? `archive:${shownArchive.id}` : view, headingRef);

  if (route) return <BundlePage route={route} headingRef={headingRef} />;
  if (view === 'wizard') return <PackageWizard headingRef={headingRef} />;
  if (shownArchive) return <ArchivePage route={shownArchive} headingRef={headingRef} />;
  return (
    <>
      <PageHeader
        title="Bundles"
        headingRef={headingRef}
        description="What operations receive for one model version: the image’s build context, tests, monitoring hooks and a signed manifest."
        actions={
          <>
            <Button onClick={() => setOpening(true)} title="Verify an archive someone exported, read its readiness and record your review">
              <IconShieldCheck />
              Open archive for review
            </Button>
            <a className="btn btn--primary" href={packageHref()}>
              <IconPackage />
              Package a model
            </a>
          </>
        }
      />
      <BundleList />
      <ArchiveList />
      {opening && <OpenArchiveDialog onClose={closeOpening} />}
    </>
  );
}
