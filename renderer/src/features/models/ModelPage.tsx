import { useEffect, type ReactNode, type Ref } from 'react';
import type { ModelDetail } from '../../../../shared/contract/index.js';
import { lineageNodeId, selectShownModel, type ModelRoute, type ModelTab } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { BackLink, DetailHeader, DetailPending } from '../../ui/DetailPage.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { formatBytes } from '../../ui/format.js';
import { IconPlus } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Sha } from '../../ui/Sha.js';
import { TabLabel, TabList, TabPanel, type TabDef } from '../../ui/Tabs.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { latestVersion, VersionSelect } from '../../ui/VersionSelect.js';
import { environmentHref } from '../environments/route.js';
import { LineageGraph } from '../lineage/LineageGraph.js';
import { CardTab } from './CardTab.js';
import { FRAMEWORK_LABELS, TASK_LABELS } from './display.js';
import { ExamplesTab } from './ExamplesTab.js';
import { MetricsTab } from './MetricsTab.js';
import { SafeBadge } from './ModelList.js';
import { OverviewTab } from './OverviewTab.js';
import { ParametersTab } from './ParametersTab.js';
import { ScanReport } from './ScanReport.js';
import { SignatureTab } from './SignatureTab.js';
import { ModelVersionsTab } from './VersionsTab.js';

export interface ModelPageProps {
  route: ModelRoute;
  headingRef?: Ref<HTMLHeadingElement>;
  onRegisterVersion: (detail: ModelDetail) => void;
  /** Registrations in progress, shown under the header. */
  registrations?: ReactNode;
}

const TAB_PREFIX = 'model';

/** One model version: header facts, then overview, scan, parameters, signature, examples, metrics, card, versions and lineage. */
export function ModelPage({ route, headingRef, onRegisterVersion, registrations }: ModelPageProps) {
  const loadModel = useAppStore((s) => s.loadModel);
  const showModel = useAppStore((s) => s.showModel);
  const detail = useAppStore(selectShownModel);
  const status = useAppStore((s) => s.modelStatus);
  const error = useAppStore((s) => s.modelError);

  useEffect(() => {
    void loadModel(route.name, route.version);
  }, [route.name, route.version, loadModel]);

  const go = (over: Partial<ModelRoute>) => showModel({ ...route, ...over });
  const back = <BackLink href="#/models" label="Models" />;

  if (!detail) {
    return (
      <>
        {back}
        <DetailHeader name={route.name} headingRef={headingRef} loading={status === 'loading'} />
        <DetailPending name={route.name} noun="model" error={error} onRetry={() => void loadModel(route.name, route.version)} />
      </>
    );
  }

  const tabs: TabDef<ModelTab>[] = [
    { id: 'overview', label: 'Overview' },
    { id: 'scan', label: <TabLabel text="Scan" count={detail.scan.findings.length} /> },
    { id: 'parameters', label: 'Parameters' },
    { id: 'signature', label: <TabLabel text="Signature" count={detail.signature.inputs.length} /> },
    { id: 'examples', label: <TabLabel text="Examples" count={detail.golden.count} /> },
    { id: 'metrics', label: <TabLabel text="Metrics" count={Object.keys(detail.metrics?.values ?? {}).length} /> },
    { id: 'card', label: 'Card' },
    { id: 'versions', label: <TabLabel text="Versions" count={detail.versions.length} /> },
    { id: 'lineage', label: 'Lineage' },
  ];
  const focus = lineageNodeId('model', detail.name, detail.version.version);

  return (
    <>
      {back}
      <DetailHeader
        name={detail.name}
        headingRef={headingRef}
        loading={status === 'loading'}
        {...modelHeaderParts({ detail, onVersion: (version) => go({ version }), onRegisterVersion: () => onRegisterVersion(detail) })}
      />
      {error && <LoadProblem error={error} title="Could not refresh the model" onRetry={() => void loadModel(route.name, route.version)} />}
      {registrations}
      <div className="panel detail-tabs">
        <TabList label={`${detail.name} sections`} idPrefix={TAB_PREFIX} tabs={tabs} selected={route.tab} onSelect={(tab) => go({ tab })} className="model-tabs" />
        <TabPanel idPrefix={TAB_PREFIX} id={route.tab} className={`tab-panel--model tab-panel--model-${route.tab}`}>
          {route.tab === 'overview' && <OverviewTab detail={detail} onShowScan={() => go({ tab: 'scan' })} />}
          {route.tab === 'scan' && <ScanReport scan={detail.scan} override={detail.version.scanOverride} />}
          {route.tab === 'parameters' && <ParametersTab detail={detail} />}
          {route.tab === 'signature' && <SignatureTab detail={detail} />}
          {route.tab === 'examples' && <ExamplesTab detail={detail} />}
          {route.tab === 'metrics' && <MetricsTab key={`${detail.name}@${detail.version.version}`} detail={detail} />}
          {route.tab === 'card' && <CardTab detail={detail} />}
          {route.tab === 'versions' && (
            <ModelVersionsTab detail={detail} onShow={(version) => go({ version: version === latestVersion(detail.versions) ? null : version, tab: 'overview' })} />
          )}
          {route.tab === 'lineage' && (
            <LineageGraph
              focus={focus}
              label={`Lineage of ${detail.name} version ${detail.version.version}`}
              empty={<EmptyState title="Nothing linked yet">The graph shows the datasets, notebook and environment of this version once they are recorded.</EmptyState>}
            />
          )}
        </TabPanel>
      </div>
    </>
  );
}

/** What a model's <DetailHeader> shows beside and below its title. */
function modelHeaderParts({ detail, onVersion, onRegisterVersion }: { detail: ModelDetail; onVersion: (version: number | null) => void; onRegisterVersion: () => void }) {
  const v = detail.version;
  const latest = latestVersion(detail.versions);
  const env = detail.lineage.environment;
  return {
    badges: (
      <>
        <SafeBadge safe={detail.scan.safe} />
        {v.scanOverride && <Badge tone="danger">loaded despite the scan</Badge>}
        <Badge>{FRAMEWORK_LABELS[v.framework]}</Badge>
        {v.version === latest ? <Badge tone="info">latest</Badge> : <Badge tone="warning">older version</Badge>}
        {v.bundled && <Badge tone="info">bundled</Badge>}
        {detail.mismatches.length > 0 && <Badge tone="danger">{detail.mismatches.length === 1 ? '1 environment mismatch' : `${detail.mismatches.length} environment mismatches`}</Badge>}
      </>
    ),
    actions: (
      <>
        <VersionSelect versions={detail.versions} shown={v.version} onChange={onVersion} />
        <Button size="sm" onClick={onRegisterVersion} title="Register a changed model file under this name">
          <IconPlus />
          New version
        </Button>
      </>
    ),
    facts: (
      <dl className="fact-grid model-facts">
        <div className="fact">
          <dt>Class</dt>
          <dd className="mono">{v.className}</dd>
        </div>
        <div className="fact">
          <dt>Task</dt>
          <dd>{TASK_LABELS[v.task]}</dd>
        </div>
        <div className="fact">
          <dt>Format</dt>
          <dd>
            {v.format} <span className="muted">· {formatBytes(v.bytes)}</span>
          </dd>
        </div>
        <div className="fact">
          <dt>Environment</dt>
          <dd>
            {env ?
              <a href={environmentHref(env.name, { version: env.version })}>
                {env.name} v{env.version}
              </a>
            : <span className="muted">none</span>}
          </dd>
        </div>
        <div className="fact">
          <dt>Version</dt>
          <dd>
            {v.version} of {latest}
          </dd>
        </div>
        <div className="fact">
          <dt>Registered</dt>
          <dd>
            <Timestamp value={v.createdAt} /> <span className="muted">by {v.createdBy}</span>
          </dd>
        </div>
        <div className="fact fact--wide">
          <dt>SHA-256</dt>
          <dd className="sha-line">
            <Sha value={v.sha256} ellipsis />
            <CopyButton value={v.sha256} label="Copy the SHA-256" />
          </dd>
        </div>
        <div className="fact fact--full">
          <dt>Source</dt>
          <dd className="mono path-start-ellipsis" title={v.sourcePath}>
            <bdi>{v.sourcePath}</bdi>
          </dd>
        </div>
      </dl>
    ),
  };
}
