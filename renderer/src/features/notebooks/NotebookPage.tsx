import { useEffect, useRef, useState } from 'react';
import type { NotebookDetail, NotebookRun } from '../../../../shared/contract/index.js';
import { notebookRunOutcome, selectShownNotebook, type NotebookRoute, type NotebookTab } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { Button } from '../../ui/Button.js';
import { CreatedFact, Fact, PathFact, ShaFact, VersionActions, VersionBadge, VersionFact } from '../../ui/DetailPage.js';
import { formatBytes, plural } from '../../ui/format.js';
import { IconPlay } from '../../ui/icons.js';
import { TabLabel, type TabDef } from '../../ui/Tabs.js';
import { latestVersion } from '../../ui/VersionSelect.js';
import { DetailFrame, useEntityDetail, type DetailSource, type EntityPageProps } from '../shared/EntityDetail.js';
import { cellDomId } from './display.js';
import { EnvironmentTab } from './EnvironmentTab.js';
import { FindingCountBadges, FindingsSummary, type SeverityFilter } from './Findings.js';
import { LineageTab } from './LineageTab.js';
import { NotebookCells } from './NotebookCells.js';
import { LastRunBadge } from './NotebookList.js';
import { ReproduceTab } from './ReproduceTab.js';
import { NotebookVersionsTab } from './VersionsTab.js';

export type NotebookPageProps = EntityPageProps<NotebookDetail, NotebookRoute>;

const NOTEBOOK_PAGE: DetailSource<NotebookDetail, NotebookRoute> = {
  noun: 'notebook', listHref: '#/notebooks', listLabel: 'Notebooks',
  load: (s) => s.loadNotebook, show: (s) => s.showNotebook, detail: selectShownNotebook, status: (s) => s.notebookStatus, error: (s) => s.notebookError,
};

/** One notebook version: header facts, then its cells with findings, lineage, environment, reproduce runs and versions. */
export function NotebookPage({ route, headingRef, onRegisterVersion, registrations }: NotebookPageProps) {
  const page = useEntityDetail(NOTEBOOK_PAGE, { route, headingRef });
  const { detail, go } = page;
  const runJob = useAppStore((s) => {
    const started = s.notebookRuns[route.name];
    return started?.jobId ? s.jobsById[started.jobId] : undefined;
  });
  const [filter, setFilter] = useState<SeverityFilter>('all');
  // A cell to scroll to once the Cells tab shows it (asked from another tab).
  const pendingCell = useRef<number | null>(null);

  useEffect(() => {
    if (pendingCell.current === null || route.tab !== 'cells' || !detail) return;
    scrollToCell(pendingCell.current);
    pendingCell.current = null;
  }, [route.tab, detail]);

  const goToCell = (index: number) => {
    if (route.tab === 'cells') {
      scrollToCell(index);
      return;
    }
    pendingCell.current = index;
    go({ tab: 'cells' });
  };

  if (!detail) return <DetailFrame page={page} />;

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
    <DetailFrame
      page={page}
      header={notebookHeaderParts({
        detail,
        latestRun,
        onVersion: (version) => go({ version }),
        onRegisterVersion: () => onRegisterVersion(detail),
        onReproduce: () => go({ tab: 'reproduce' }),
      })}
      above={registrations}
      tabs={tabs}
      panelClassName={`tab-panel--nb tab-panel--nb-${route.tab}`}
    >
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
    </DetailFrame>
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
  const kernel = a.kernel.displayName ?? a.kernel.name ?? 'Unknown kernel';
  const language = [a.kernel.language, a.kernel.languageVersion].filter(Boolean).join(' ');
  return {
    badges: (
      <>
        <VersionBadge version={v.version} latest={latestVersion(detail.versions)} />
        <FindingCountBadges counts={v.findings} />
      </>
    ),
    actions: (
      <>
        <VersionActions versions={detail.versions} shown={v.version} onVersion={onVersion} onAdd={onRegisterVersion} addTitle="Register the changed notebook file under this name" />
        <Button size="sm" variant="primary" onClick={onReproduce} title="Run a copy of this version top to bottom in a clean kernel">
          <IconPlay />
          Reproduce
        </Button>
      </>
    ),
    facts: (
      <dl className="fact-grid nb-facts">
        <Fact label="Kernel" title={a.kernel.name ?? undefined}>
          {kernel}
          {language && <span className="muted"> · {language}</span>}
        </Fact>
        <Fact label="Cells">
          {a.cells.code} code · {a.cells.markdown} markdown{a.cells.raw > 0 ? ` · ${a.cells.raw} raw` : ''}
        </Fact>
        <VersionFact version={v.version} versions={detail.versions} />
        <CreatedFact at={v.createdAt} by={v.createdBy} />
        <Fact label="Last run">
          <LastRunBadge state={latestRun?.state ?? null} />
        </Fact>
        <Fact label="Size">{formatBytes(v.bytes)}</Fact>
        <ShaFact label="File SHA-256" value={v.sha256} copyLabel="Copy the file SHA-256" />
        <ShaFact
          label="Code SHA-256"
          value={v.sourceSha256}
          copyLabel="Copy the code SHA-256"
          title="Of the code cells only: re-running the notebook does not change it"
        />
        <PathFact label="Path" path={v.path} />
        {a.imports.length > 0 && (
          <Fact label="Needs" span="full" className="nb-needs">
            {needsLine(detail)}
          </Fact>
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
