import { useEffect, useRef, useState, type ReactNode, type Ref } from 'react';
import type { NotebookDetail, NotebookRun } from '../../../../shared/contract/index.js';
import { notebookRunOutcome, selectShownNotebook, type NotebookRoute, type NotebookTab } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Badge } from '../../ui/Badge.js';
import { Button } from '../../ui/Button.js';
import { CopyButton } from '../../ui/CopyButton.js';
import { formatBytes, plural } from '../../ui/format.js';
import { BackLink, DetailHeader, DetailPending } from '../../ui/DetailPage.js';
import { IconPlay, IconPlus } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { Sha } from '../../ui/Sha.js';
import { TabLabel, TabList, TabPanel, type TabDef } from '../../ui/Tabs.js';
import { Timestamp } from '../../ui/Timestamp.js';
import { latestVersion, VersionSelect } from '../../ui/VersionSelect.js';
import { cellDomId } from './display.js';
import { EnvironmentTab } from './EnvironmentTab.js';
import { FindingCountBadges, FindingsSummary, type SeverityFilter } from './Findings.js';
import { LineageTab } from './LineageTab.js';
import { NotebookCells } from './NotebookCells.js';
import { LastRunBadge } from './NotebookList.js';
import { ReproduceTab } from './ReproduceTab.js';
import { NotebookVersionsTab } from './VersionsTab.js';

export interface NotebookPageProps {
  route: NotebookRoute;
  headingRef?: Ref<HTMLHeadingElement>;
  onRegisterVersion: (detail: NotebookDetail) => void;
  /** Registrations in progress, shown under the header. */
  registrations?: ReactNode;
}

const TAB_PREFIX = 'notebook';

/** One notebook version: header facts, then its cells with findings, lineage, environment, reproduce runs and versions. */
export function NotebookPage({ route, headingRef, onRegisterVersion, registrations }: NotebookPageProps) {
  const loadNotebook = useAppStore((s) => s.loadNotebook);
  const showNotebook = useAppStore((s) => s.showNotebook);
  const detail = useAppStore(selectShownNotebook);
  const status = useAppStore((s) => s.notebookStatus);
  const error = useAppStore((s) => s.notebookError);
  const runJob = useAppStore((s) => {
    const started = s.notebookRuns[route.name];
    return started?.jobId ? s.jobsById[started.jobId] : undefined;
  });
  const [filter, setFilter] = useState<SeverityFilter>('all');
  // A cell to scroll to once the Cells tab shows it (asked from another tab).
  const pendingCell = useRef<number | null>(null);

  useEffect(() => {
    void loadNotebook(route.name, route.version);
  }, [route.name, route.version, loadNotebook]);

  useEffect(() => {
    if (pendingCell.current === null || route.tab !== 'cells' || !detail) return;
    scrollToCell(pendingCell.current);
    pendingCell.current = null;
  }, [route.tab, detail]);

  const go = (over: Partial<NotebookRoute>) => showNotebook({ ...route, ...over });
  const goToCell = (index: number) => {
    if (route.tab === 'cells') {
      scrollToCell(index);
      return;
    }
    pendingCell.current = index;
    go({ tab: 'cells' });
  };

  const back = <BackLink href="#/notebooks" label="Notebooks" />;

  if (!detail) {
    return (
      <>
        {back}
        <DetailHeader name={route.name} headingRef={headingRef} loading={status === 'loading'} />
        <DetailPending
          name={route.name}
          noun="notebook"
          error={error}
          onRetry={() => void loadNotebook(route.name, route.version)}
        />
      </>
    );
  }

  // The run that just finished here may not be in the detail yet; it is the newest either way.
  const justRun = notebookRunOutcome(runJob);
  const latestRun: NotebookRun | null =
    justRun && justRun.version === detail.version.version && !detail.runs.some((r) => r.id === justRun.id) ? justRun : (detail.runs[0] ?? null);
  const datasetLinks = detail.links.filter((l) => l.kind === 'dataset').length;

  const tabs: TabDef<NotebookTab>[] = [
    { id: 'cells', label: <TabLabel text="Cells" count={detail.cells.length} /> },
    { id: 'lineage', label: <TabLabel text="Lineage" count={datasetLinks} /> },
    { id: 'environment', label: 'Environment' },
    { id: 'reproduce', label: <TabLabel text="Reproduce" count={detail.runs.length} /> },
    { id: 'versions', label: <TabLabel text="Versions" count={detail.versions.length} /> },
  ];

  return (
    <>
      {back}
      <DetailHeader
        name={detail.name}
        headingRef={headingRef}
        loading={status === 'loading'}
        {...notebookHeaderParts({
          detail,
          latestRun,
          onVersion: (version) => go({ version }),
          onRegisterVersion: () => onRegisterVersion(detail),
          onReproduce: () => go({ tab: 'reproduce' }),
        })}
      />
      {error && (
        <LoadProblem error={error} title="Could not refresh the notebook" onRetry={() => void loadNotebook(route.name, route.version)} />
      )}
      {registrations}
      <div className="panel detail-tabs">
        <TabList label={`${detail.name} sections`} idPrefix={TAB_PREFIX} tabs={tabs} selected={route.tab} onSelect={(tab) => go({ tab })} />
        <TabPanel idPrefix={TAB_PREFIX} id={route.tab} className={`tab-panel--nb tab-panel--nb-${route.tab}`}>
          {route.tab === 'cells' && (
            <>
              <FindingsSummary findings={detail.analysis.findings} filter={filter} onFilter={setFilter} onGoToCell={goToCell} />
              <NotebookCells
                cells={detail.cells}
                findings={detail.analysis.findings}
                filter={filter}
                language={detail.analysis.kernel.language}
                run={latestRun}
                reads={detail.analysis.reads}
                writes={detail.analysis.writes}
                links={detail.links}
              />
            </>
          )}
          {route.tab === 'lineage' && <LineageTab detail={detail} onGoToCell={goToCell} />}
          {route.tab === 'environment' && <EnvironmentTab detail={detail} onGoToCell={goToCell} />}
          {route.tab === 'reproduce' && <ReproduceTab key={detail.name} detail={detail} latest={latestRun} onGoToCell={goToCell} />}
          {route.tab === 'versions' && <NotebookVersionsTab detail={detail} onShow={(version) => go({ version: version === latestVersion(detail.versions) ? null : version, tab: 'cells' })} />}
        </TabPanel>
      </div>
    </>
  );
}

/** Bring a cell into view and focus it (its focus ring shows which one). */
function scrollToCell(index: number): void {
  const el = document.getElementById(cellDomId(index));
  const reduceMotion = typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el?.scrollIntoView?.({ block: 'start', behavior: reduceMotion ? 'auto' : 'smooth' });
  el?.focus({ preventScroll: true });
}


/** What a notebook's <DetailHeader> shows beside and below its title. */
function notebookHeaderParts({
  detail,
  latestRun,
  onVersion,
  onRegisterVersion,
  onReproduce,
}: {
  detail: NotebookDetail;
  latestRun: NotebookRun | null;
  onVersion: (version: number | null) => void;
  onRegisterVersion: () => void;
  onReproduce: () => void;
}) {
  const v = detail.version;
  const a = detail.analysis;
  const latest = latestVersion(detail.versions);
  const kernel = a.kernel.displayName ?? a.kernel.name ?? 'Unknown kernel';
  const language = [a.kernel.language, a.kernel.languageVersion].filter(Boolean).join(' ');
  return {
    badges: (
      <>
        {v.version === latest ? <Badge tone="info">latest</Badge> : <Badge tone="warning">older version</Badge>}
        <FindingCountBadges counts={v.findings} />
      </>
    ),
    actions: (
      <>
        <VersionSelect versions={detail.versions} shown={v.version} onChange={onVersion} />
        <Button size="sm" onClick={onRegisterVersion} title="Register the changed notebook file under this name">
          <IconPlus />
          New version
        </Button>
        <Button size="sm" variant="primary" onClick={onReproduce} title="Run a copy of this version top to bottom in a clean kernel">
          <IconPlay />
          Reproduce
        </Button>
      </>
    ),
    facts: (
      <dl className="fact-grid nb-facts">
        <div className="fact">
          <dt>Kernel</dt>
          <dd title={a.kernel.name ?? undefined}>
            {kernel}
            {language && <span className="muted"> · {language}</span>}
          </dd>
        </div>
        <div className="fact">
          <dt>Cells</dt>
          <dd>
            {a.cells.code} code · {a.cells.markdown} markdown{a.cells.raw > 0 ? ` · ${a.cells.raw} raw` : ''}
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
            <Timestamp value={v.createdAt} />{' '}
            <span className="muted">by {v.createdBy}</span>
          </dd>
        </div>
        <div className="fact">
          <dt>Last run</dt>
          <dd>
            <LastRunBadge state={latestRun?.state ?? null} />
          </dd>
        </div>
        <div className="fact">
          <dt>Size</dt>
          <dd>{formatBytes(v.bytes)}</dd>
        </div>
        <div className="fact fact--wide">
          <dt>File SHA-256</dt>
          <dd className="sha-line">
            <Sha value={v.sha256} ellipsis />
            <CopyButton value={v.sha256} label="Copy the file SHA-256" />
          </dd>
        </div>
        <div className="fact fact--wide">
          <dt>Code SHA-256</dt>
          <dd className="sha-line" title="Of the code cells only: re-running the notebook does not change it">
            <Sha value={v.sourceSha256} ellipsis />
            <CopyButton value={v.sourceSha256} label="Copy the code SHA-256" />
          </dd>
        </div>
        <div className="fact fact--full">
          <dt>Path</dt>
          <dd className="mono path-start-ellipsis" title={v.path}>
            <bdi>{v.path}</bdi>
          </dd>
        </div>
        {a.imports.length > 0 && (
          <div className="fact fact--full">
            <dt>Needs</dt>
            <dd className="nb-needs">{needsLine(detail)}</dd>
          </div>
        )}
      </dl>
    ),
  };
}

/** The third-party packages it imports, as one line: "pandas, scikit-learn (+3 more)". */
function needsLine(detail: NotebookDetail): string {
  const packages = [...new Set(detail.analysis.imports.filter((i) => !i.stdlib).map((i) => i.package ?? i.module))];
  if (packages.length === 0) return 'Only the standard library';
  const shown = packages.slice(0, 8).join(', ');
  return packages.length > 8 ? `${shown} (+${plural(packages.length - 8, 'more', 'more')})` : shown;
}
