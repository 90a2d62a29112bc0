import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import type { LineageGraph as Graph } from '../../../../shared/contract/index.js';
import { selectLineage } from '../../store/index.js';
import { useAppStore } from '../../store/store-context.js';
import { cx } from '../../ui/cx.js';
import { IconGitCompare } from '../../ui/icons.js';
import { LoadProblem } from '../../ui/LoadProblem.js';
import { LoadingLine, Spinner } from '../../ui/Spinner.js';
import { lineageHref, nodeText, RELATION_LABELS } from './display.js';
import type { LineageLayout } from './layout.js';
import './lineage.css';

// The graph library and ELK are large: load them when a graph is first shown.
const LineageCanvas = lazy(() => import('./LineageCanvas.js'));
const loadLayout = () => import('./layout.js').then((m) => m.layoutLineage);

export interface LineageGraphProps {
  /** Only what is connected to this node ("model:churn@2"); the whole workspace when null. */
  focus: string | null;
  /** The canvas's accessible name. */
  label: string;
  /** Shown when there is nothing to draw. */
  empty: ReactNode;
  className?: string;
}

/** The lineage graph from the backend, laid out left to right, every node a link to its page. */
export function LineageGraph({ focus, label, empty, className }: LineageGraphProps) {
  const loadLineage = useAppStore((s) => s.loadLineage);
  const revision = useAppStore((s) => s.lineageRevision);
  const graph = useAppStore(selectLineage(focus));
  const status = useAppStore((s) => s.lineageStatus);
  const error = useAppStore((s) => s.lineageError);

  useEffect(() => {
    void loadLineage(focus);
  }, [focus, revision, loadLineage]);

  if (!graph) {
    return error ?
        <LoadProblem error={error} title="Could not load the lineage" onRetry={() => void loadLineage(focus)} />
      : <LoadingLine>Loading the lineage…</LoadingLine>;
  }
  if (graph.nodes.length === 0) return <>{empty}</>;
  return (
    <div className={cx('lineage', className)}>
      {error && <LoadProblem error={error} title="Could not refresh the lineage" onRetry={() => void loadLineage(focus)} />}
      <LaidOut graph={graph} focus={focus} label={label} refreshing={status === 'loading'} />
      <RelationList graph={graph} />
    </div>
  );
}

function LaidOut({ graph, focus, label, refreshing }: { graph: Graph; focus: string | null; label: string; refreshing: boolean }) {
  const [laid, setLaid] = useState<{ graph: Graph; layout: LineageLayout } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    loadLayout()
      .then((layoutLineage) => layoutLineage(graph))
      .then((layout) => current && setLaid({ graph, layout }))
      .catch((e: unknown) => current && setFailed(e instanceof Error ? e.message : String(e)));
    return () => {
      current = false;
    };
  }, [graph]);

  if (failed) {
    return (
      <p className="lineage__problem" role="alert">
        Could not lay the graph out ({failed}). The relations are listed below.
      </p>
    );
  }
  const layout = laid?.layout;
  // Tall enough for the graph at full size, within reason; the canvas zooms to fit.
  const height = layout ? Math.min(640, Math.max(260, layout.height + 72)) : 260;
  return (
    <div className="lineage__canvas" style={{ height }} data-laid-out={laid?.graph === graph || undefined}>
      {layout ?
        <Suspense fallback={<CanvasLoading />}>
          {/* A new layout is a new canvas, so it fits the view again. */}
          <LineageCanvas key={layout.nodes.map((n) => n.id).join('|')} layout={layout} focus={focus} label={label} />
        </Suspense>
      : <CanvasLoading />}
      {refreshing && <Spinner className="lineage__refreshing" />}
    </div>
  );
}

function CanvasLoading() {
  return (
    <LoadingLine className="lineage__loading">Laying out the graph…</LoadingLine>
  );
}

/** Every relation in words, with links: the graph for whoever does not see the drawing. */
function RelationList({ graph }: { graph: Graph }) {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = graph.edges.filter((e) => byId.has(e.source) && byId.has(e.target));
  const linked = new Set(edges.flatMap((e) => [e.source, e.target]));
  const alone = graph.nodes.filter((n) => !linked.has(n.id));
  return (
    <details className="lineage__list">
      <summary>
        <IconGitCompare size={14} /> The relations as a list
      </summary>
      <ul aria-label="Lineage relations">
        {edges.map((e) => {
          const source = byId.get(e.source)!;
          const target = byId.get(e.target)!;
          return (
            <li key={`${e.source}->${e.target}:${e.relation}`}>
              <a href={lineageHref(source)}>{nodeText(source)}</a> <span className="muted">{RELATION_LABELS[e.relation]}</span>{' '}
              <a href={lineageHref(target)}>{nodeText(target)}</a>
            </li>
          );
        })}
        {alone.map((n) => (
          <li key={n.id}>
            <a href={lineageHref(n)}>{nodeText(n)}</a> <span className="muted">is not linked to anything yet</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
