// One model's monitoring page: run a drift check on a batch, the history of its checks, the check
// shown (the newest unless the route names one), and the model's thresholds.
import { useEffect, type Ref } from 'react';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../../../shared/contract/index.js';
import { selectDriftCheck, selectDriftHistory, selectDriftSettings, selectMonitoringModel, type MonitoringRoute } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { BackLink, DetailHeader, DetailPending, Fact } from '../../ui/DetailPage.js';
import { IconCpu } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { LoadingLine } from '../../ui/Spinner.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { modelHref } from '../models/route.js';
import { CheckPanel } from './CheckPanel.js';
import { CheckResult } from './CheckResult.js';
import { HistoryPanel } from './HistoryPanel.js';
import { MONITORING_HREF } from './route.js';
import { ThresholdsPanel } from './ThresholdsPanel.js';

export function MonitoringPage({ route, headingRef }: { route: MonitoringRoute; headingRef?: Ref<HTMLHeadingElement> }) {
  const { name } = route;
  const detail = useAppStore((s) => selectMonitoringModel(s, name));
  const modelLoading = useAppStore((s) => s.monitoringModelStatus === 'loading');
  const modelError = useAppStore((s) => s.monitoringModelError);
  const loadModel = useAppStore((s) => s.loadMonitoringModel);
  const history = useAppStore((s) => selectDriftHistory(s, name));
  const historyLoading = useAppStore((s) => s.driftHistoryStatus === 'loading');
  const historyError = useAppStore((s) => s.driftHistoryError);
  const loadHistory = useAppStore((s) => s.loadDriftHistory);
  const settings = useAppStore((s) => selectDriftSettings(s, name));
  const show = useAppStore((s) => s.showMonitoring);

  useEffect(() => {
    void loadModel(name);
    void loadHistory(name);
  }, [name, loadModel, loadHistory]);

  if (!detail) {
    return (
      <>
        <BackLink href={MONITORING_HREF} label="Monitoring" />
        <DetailHeader name={name} headingRef={headingRef} loading={modelLoading} />
        <DetailPending name={name} noun="model" error={modelError} onRetry={() => void loadModel(name)} />
      </>
    );
  }

  const latest = history?.[0] ?? null;
  // The check shown: the route's, else the newest.
  const shown = route.check ?? latest?.id ?? null;
  const latestVersion = Math.max(...detail.versions.map((v) => v.version));

  return (
    <>
      <BackLink href={MONITORING_HREF} label="Monitoring" />
      <DetailHeader
        name={detail.name}
        headingRef={headingRef}
        loading={modelLoading || historyLoading}
        badges={
          latest ?
            <Badge tone={latest.drift ? 'danger' : 'success'}>{latest.drift ? 'drift in the last check' : 'no drift in the last check'}</Badge>
          : history && <Badge>never checked</Badge>
        }
        actions={
          <a className="btn btn--sm" href={modelHref(detail.name)} title={`The model page of ${detail.name}`}>
            <IconCpu />
            Model page
          </a>
        }
        facts={
          <dl className="fact-grid monitoring-facts">
            <Fact label="Model">
              {detail.name} <span className="muted">v{latestVersion} latest · {detail.version.className}</span>
            </Fact>
            <Fact label="Training data">
              {detail.lineage.training[0] ?
                <>
                  {detail.lineage.training[0].name} v{detail.lineage.training[0].version} <span className="muted">· target {detail.lineage.training[0].target}</span>
                </>
              : <span className="muted">none linked</span>}
            </Fact>
            <Fact label="Checks">{history ? history.length : '…'}</Fact>
            <Fact label="Last check">{latest ? <Timestamp value={latest.checkedAt} /> : <span className="muted">never</span>}</Fact>
          </dl>
        }
      />
      {modelError && <LoadProblem error={modelError} title="Could not refresh the model" onRetry={() => void loadModel(name)} />}

      <div className="monitoring-stack">
        <div className="monitoring-top">
          <CheckPanel detail={detail} version={route.version} onVersion={(version) => show({ ...route, version })} />
          <HistoryPanel
            name={detail.name}
            checks={history}
            loading={historyLoading}
            error={historyError}
            onRetry={() => void loadHistory(name)}
            shown={shown}
            version={route.version}
            threshold={settings?.thresholds.datasetShare ?? DEFAULT_DRIFT_THRESHOLDS.datasetShare}
          />
        </div>
        {shown !== null && <ShownCheck id={shown} model={detail.name} />}
        <ThresholdsPanel name={detail.name} />
      </div>
    </>
  );
}

/** The stored check the page shows, loaded when it changes. */
function ShownCheck({ id, model }: { id: number; model: string }) {
  const check = useAppStore((s) => selectDriftCheck(s, id));
  // While another check of the model loads, the one before stays (no flash).
  const previous = useAppStore((s) => (s.driftCheck?.value.reference.model.name === model ? s.driftCheck.value : null));
  const loading = useAppStore((s) => s.driftCheckStatus === 'loading');
  const error = useAppStore((s) => s.driftCheckError);
  const load = useAppStore((s) => s.loadDriftCheck);

  useEffect(() => {
    void load(id);
  }, [id, load]);

  if (error && !check) return <LoadProblem error={error} title={`Could not load drift check ${id}`} onRetry={() => void load(id)} />;
  const shown = check ?? (loading ? previous : null);
  if (!shown) return <LoadingLine>Loading drift check {id}…</LoadingLine>;
  return (
    <div aria-busy={shown !== check || undefined}>
      <CheckResult key={shown.id} check={shown} />
    </div>
  );
}
