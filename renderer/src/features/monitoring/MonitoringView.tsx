import { lazy, Suspense } from 'react';
import { useAppStore } from '../../store/store-context.js';
import { PageHeader } from '../../ui/PageHeader.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { useFocusOnChange } from '../../ui/use-focus-on-change.js';
import type { SectionProps } from '../section-props.js';
import { MonitoringList } from './MonitoringList.js';
import './monitoring.css';

// The page brings the charts: load it when a model is opened.
const MonitoringPage = lazy(() => import('./MonitoringPage.js').then((m) => ({ default: m.MonitoringPage })));

/** The Monitoring section: the models with their latest drift verdict, or one model's monitoring page. */
export function MonitoringView({ headingRef }: SectionProps) {
  const route = useAppStore((s) => s.monitoringRoute);
  useFocusOnChange(route?.name ?? null, headingRef);

  if (route) {
    return (
      <Suspense fallback={<LoadingLine>Loading {route.name}…</LoadingLine>}>
        <MonitoringPage route={route} headingRef={headingRef} />
      </Suspense>
    );
  }
  return (
    <>
      <PageHeader
        title="Monitoring"
        headingRef={headingRef}
        description="Compare batches of production inputs with each model’s training data: which features drifted, how far, and when to retrain."
      />
      <MonitoringList />
    </>
  );
}
