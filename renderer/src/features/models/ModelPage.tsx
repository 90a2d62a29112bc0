import type { ModelDetail } from '../../../../shared/contract/index.js';
import { lineageNodeId, selectShownModel, type ModelRoute, type ModelTab } from '../../store/index.js';
import { Badge } from '../../ui/Badge.js';
import { CreatedFact, Fact, PathFact, ShaFact, VersionActions, VersionBadge, VersionFact } from '../../ui/DetailPage.js';
import { EmptyState } from '../../ui/EmptyState.js';
import { formatBytes } from '../../ui/format.js';
import { IconChartLine, IconPackage } from '../../ui/icons.js';
import { TabLabel, type TabDef } from '../../ui/Tabs.js';
import { latestVersion } from '../../ui/VersionSelect.js';
import { packageHref } from '../bundles/route.js';
import { environmentHref } from '../environments/route.js';
import { LineageGraph } from '../lineage/LineageGraph.js';
import { monitoringHref } from '../monitoring/route.js';
import { DetailFrame, useEntityDetail, type DetailSource, type EntityPageProps } from '../shared/EntityDetail.js';
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

export type ModelPageProps = EntityPageProps<ModelDetail, ModelRoute>;

const MODEL_PAGE: DetailSource<ModelDetail, ModelRoute> = {
  noun: 'model', listHref: '#/models', listLabel: 'Models',
  load: (s) => s.loadModel, show: (s) => s.showModel, detail: selectShownModel, status: (s) => s.modelStatus, error: (s) => s.modelError,
};

/** One model version: header facts, then overview, scan, parameters, signature, examples, metrics, card, versions and lineage. */
export function ModelPage({ route, headingRef, onRegisterVersion, registrations }: ModelPageProps) {
  const page = useEntityDetail(MODEL_PAGE, { route, headingRef });
  const { detail, go } = page;
  if (!detail) return <DetailFrame page={page} />;

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
    <DetailFrame
      page={page}
      header={modelHeaderParts({ detail, onVersion: (version) => go({ version }), onRegisterVersion: () => onRegisterVersion(detail) })}
      above={registrations}
      tabs={tabs}
      tabListClassName="model-tabs"
      panelClassName={`tab-panel--model tab-panel--model-${route.tab}`}
    >
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
    </DetailFrame>
  );
}

/** What a model's <DetailHeader> shows beside and below its title. */
function modelHeaderParts({ detail, onVersion, onRegisterVersion }: { detail: ModelDetail; onVersion: (version: number | null) => void; onRegisterVersion: () => void }) {
  const v = detail.version;
  const env = detail.lineage.environment;
  return {
    badges: (
      <>
        <SafeBadge safe={detail.scan.safe} />
        {v.scanOverride && <Badge tone="danger">loaded despite the scan</Badge>}
        <Badge>{FRAMEWORK_LABELS[v.framework]}</Badge>
        <VersionBadge version={v.version} latest={latestVersion(detail.versions)} />
        {v.bundled && <Badge tone="info">bundled</Badge>}
        {detail.mismatches.length > 0 && <Badge tone="danger">{detail.mismatches.length === 1 ? '1 environment mismatch' : `${detail.mismatches.length} environment mismatches`}</Badge>}
      </>
    ),
    actions: (
      <>
        <VersionActions versions={detail.versions} shown={v.version} onVersion={onVersion} onAdd={onRegisterVersion} addTitle="Register a changed model file under this name" />
        <a
          className="btn btn--sm"
          href={monitoringHref(detail.name, { version: v.version === latestVersion(detail.versions) ? null : v.version })}
          title={`Check batches of production inputs against the training data of version ${v.version}, and see its drift history`}
        >
          <IconChartLine />
          Monitoring
        </a>
        <a className="btn btn--sm btn--primary" href={packageHref(detail.name, v.version)} title={`Write, build, smoke-test and export a bundle of version ${v.version}`}>
          <IconPackage />
          Package
        </a>
      </>
    ),
    facts: (
      <dl className="fact-grid model-facts">
        <Fact label="Class" className="mono">
          {v.className}
        </Fact>
        <Fact label="Task">{TASK_LABELS[v.task]}</Fact>
        <Fact label="Format">
          {v.format} <span className="muted">· {formatBytes(v.bytes)}</span>
        </Fact>
        <Fact label="Environment">
          {env ?
            <a href={environmentHref(env.name, { version: env.version })}>
              {env.name} v{env.version}
            </a>
          : <span className="muted">none</span>}
        </Fact>
        <VersionFact version={v.version} versions={detail.versions} />
        <CreatedFact at={v.createdAt} by={v.createdBy} />
        <ShaFact value={v.sha256} />
        <PathFact label="Source" path={v.sourcePath} />
      </dl>
    ),
  };
}
