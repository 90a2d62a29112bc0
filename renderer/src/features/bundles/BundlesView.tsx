import { useAppStore } from '../../store/store-context.js';
import { IconPackage } from '../../ui/icons.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { useFocusOnChange } from '../../ui/use-focus-on-change.js';
import type { SectionProps } from '../section-props.js';
import { BundleList } from './BundleList.js';
import { BundlePage } from './BundlePage.js';
import './bundles.css';
import { PackageWizard } from './PackageWizard.js';
import { packageHref } from './route.js';

/** The Bundles section: the list, the package wizard, or one bundle's page. */
export function BundlesView({ headingRef }: SectionProps) {
  const route = useAppStore((s) => s.bundleRoute);
  const view = useAppStore((s) => s.bundlesView);
  useFocusOnChange(route ? `bundle:${route.name}@${route.version}` : view, headingRef);

  if (route) return <BundlePage route={route} headingRef={headingRef} />;
  if (view === 'wizard') return <PackageWizard headingRef={headingRef} />;
  return (
    <>
      <PageHeader
        title="Bundles"
        headingRef={headingRef}
        description="What operations receive for one model version: the image’s build context, tests, monitoring hooks and a signed manifest."
        actions={
          <a className="btn btn--primary" href={packageHref()}>
            <IconPackage />
            Package a model
          </a>
        }
      />
      <BundleList />
    </>
  );
}
