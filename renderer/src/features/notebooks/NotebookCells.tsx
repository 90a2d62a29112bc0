import { memo, useMemo } from 'react';
import type { CellOutput, FileRef, Finding, LineageLink, NotebookCell, NotebookRun } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { cx } from '../../ui/cx.js';
import { formatDuration } from '../../ui/format.js';
import { IconCheckCircle, IconDatabase, IconXCircle } from '../../ui/icons.js';
import { datasetHref } from '../datasets/route.js';
import { cellDomId, cellLabel, findingsByCell, SEVERITIES } from './display.js';
import { FindingList, type SeverityFilter } from './Findings.js';
import { highlightPython } from './highlight.js';
import { renderMarkdown } from './markdown.js';

export interface NotebookCellsProps {
  cells: readonly NotebookCell[];
  findings: readonly Finding[];
  filter: SeverityFilter;
  /** The kernel's language; code is highlighted as Python unless it says otherwise. */
  language: string | null;
  /** The latest reproduce run of this version, for per-cell status. */
  run: NotebookRun | null;
  reads: readonly FileRef[];
  writes: readonly FileRef[];
  links: readonly LineageLink[];
}

/** Every cell in order, each with its outputs, its status in the last run and its findings. */
export function NotebookCells({ cells, findings, filter, language, run, reads, writes, links }: NotebookCellsProps) {
  const shown = useMemo(() => findings.filter((f) => filter === 'all' || f.severity === filter), [findings, filter]);
  const byCell = useMemo(() => findingsByCell(shown), [shown]);
  const runCells = useMemo(() => new Map((run?.cells ?? []).map((c) => [c.index, c] as const)), [run]);
  const notebookLevel = byCell.get('notebook') ?? [];
  return (
    <div className="nb-cells">
      {notebookLevel.length > 0 && (
        <div className="nb-notebook-findings">
          <h3 className="nb-notebook-findings__title">About the whole notebook</h3>
          <FindingList findings={notebookLevel} label="Findings about the whole notebook" />
        </div>
      )}
      {cells.length === 0 && <p className="muted">This notebook has no cells.</p>}
      {cells.map((cell) => (
        <CellView
          key={cell.index}
          cell={cell}
          findings={byCell.get(cell.index) ?? EMPTY}
          language={language}
          status={runCells.get(cell.index) ?? null}
          runError={run && run.failedCell === cell.index ? run.error : null}
          reads={reads}
          writes={writes}
          links={links}
        />
      ))}
    </div>
  );
}

const EMPTY: Finding[] = [];

interface CellViewProps {
  cell: NotebookCell;
  findings: readonly Finding[];
  language: string | null;
  status: NotebookRun['cells'][number] | null;
  runError: NotebookRun['error'];
  reads: readonly FileRef[];
  writes: readonly FileRef[];
  links: readonly LineageLink[];
}

const CellView = memo(function CellView({ cell, findings, language, status, runError, reads, writes, links }: CellViewProps) {
  const label = cellLabel(cell.index);
  const flagged = useMemo(() => {
    // The most severe finding on each line marks it in the code.
    const lines = new Map<number, Finding['severity']>();
    for (const f of findings) {
      if (f.line === null) continue;
      const current = lines.get(f.line);
      if (!current || SEVERITIES.indexOf(f.severity) < SEVERITIES.indexOf(current)) lines.set(f.line, f.severity);
    }
    return lines;
  }, [findings]);
  const cellReads = reads.filter((r) => r.cell === cell.index);
  const cellWrites = writes.filter((w) => w.cell === cell.index);
  const worst = findings[0]?.severity;
  return (
    <article
      id={cellDomId(cell.index)}
      className={cx('nb-cell', `nb-cell--${cell.type}`, worst && `nb-cell--has-${worst}`, status && `nb-cell--run-${status.status}`)}
      aria-label={label}
      tabIndex={-1}
      data-cell={cell.index}
    >
      <div className="nb-cell__gutter">
        <span className="nb-cell__number">{cell.index + 1}</span>
        {cell.type === 'code' && (
          <span className="nb-cell__prompt mono" title={cell.executionCount === null ? 'Never executed' : `Execution count ${cell.executionCount}`}>
            [{cell.executionCount ?? ' '}]
          </span>
        )}
      </div>
      <div className="nb-cell__main">
        {status && (
          <div className="nb-cell__badges">
            <RunStatusBadge status={status} />
          </div>
        )}
        {cell.type === 'code' && <CodeBlock source={cell.source} language={language} flagged={flagged} label={`Code of ${label.toLowerCase()}`} />}
        {cell.type === 'markdown' && <MarkdownBlock source={cell.source} />}
        {cell.type === 'raw' && <pre className="nb-raw">{cell.source}</pre>}
        {cell.outputs.length > 0 && (
          <div className="nb-outputs" aria-label={`Outputs of ${label.toLowerCase()}`} role="group">
            {cell.outputs.map((o, i) => (
              <OutputView key={i} output={o} alt={`Image output ${i + 1} of ${label.toLowerCase()}`} />
            ))}
          </div>
        )}
        {runError && (
          <div className="nb-run-error" role="group" aria-label={`Reproduce error in ${label.toLowerCase()}`}>
            <p className="nb-run-error__head">
              <IconXCircle className="nb-run-error__icon" />
              <span>
                The reproduce run stopped here: <strong className="mono">{runError.ename}</strong>
                {runError.evalue ? `: ${runError.evalue}` : ''}
              </span>
            </p>
            {runError.traceback && <pre className="nb-traceback">{runError.traceback}</pre>}
          </div>
        )}
        {(cellReads.length > 0 || cellWrites.length > 0) && (
          <ul className="nb-cell__files" aria-label={`Files ${label.toLowerCase()} reads and writes`}>
            {cellReads.map((r, i) => (
              <FileChip key={`r${i}`} refFile={r} direction="reads" links={links} />
            ))}
            {cellWrites.map((w, i) => (
              <FileChip key={`w${i}`} refFile={w} direction="writes" links={[]} />
            ))}
          </ul>
        )}
        <FindingList findings={findings} label={`Findings in ${label.toLowerCase()}`} className="nb-cell__findings" />
      </div>
    </article>
  );
});

function RunStatusBadge({ status }: { status: NotebookRun['cells'][number] }) {
  const took = status.durationMs === null ? '' : ` · ${formatDuration(status.durationMs)}`;
  if (status.status === 'ok')
    return (
      <Badge tone="success" className="nb-run-badge">
        <IconCheckCircle /> Ran OK{took}
      </Badge>
    );
  if (status.status === 'error')
    return (
      <Badge tone="danger" className="nb-run-badge">
        <IconXCircle /> Failed in the last run{took}
      </Badge>
    );
  return <Badge className="nb-run-badge">Not run in the last run</Badge>;
}

function FileChip({ refFile, direction, links }: { refFile: FileRef; direction: 'reads' | 'writes'; links: readonly LineageLink[] }) {
  const datasets = links.filter((l) => l.kind === 'dataset' && l.path === refFile.path);
  return (
    <li className="nb-file-chip">
      <span className="nb-file-chip__verb">{direction === 'reads' ? 'Reads' : 'Writes'}</span>
      <code className="nb-file-chip__path" title={refFile.path}>
        {refFile.literal}
      </code>
      {!refFile.exists && direction === 'reads' && <span className="muted small">(missing at registration)</span>}
      {datasets.map((d) => (
        <a key={`${d.name}@${d.version}`} className="nb-file-chip__dataset" href={datasetHref(d.name, d.version === null ? {} : { version: d.version })}>
          <IconDatabase /> dataset {d.name}
          {d.version !== null ? ` v${d.version}` : ''}
        </a>
      ))}
    </li>
  );
}

/** Highlighted Python as React spans: the source is text, never HTML. Lines with findings are marked. */
export function CodeBlock({
  source,
  language,
  flagged,
  label,
}: {
  source: string;
  language: string | null;
  flagged?: ReadonlyMap<number, Finding['severity']>;
  label: string;
}) {
  const lines = useMemo(() => highlightPython(source, language), [source, language]);
  if (source.trim() === '') return <pre className="nb-code nb-code--empty muted">(empty cell)</pre>;
  return (
    <pre className="nb-code" aria-label={label} tabIndex={0}>
      <code>
        {lines.map((tokens, i) => {
          const severity = flagged?.get(i + 1);
          return (
            <span key={i} className={cx('nb-code__line', severity && `nb-code__line--${severity}`)} data-line={i + 1}>
              {tokens.map((t, j) =>
                t.className ? (
                  <span key={j} className={t.className}>
                    {t.text}
                  </span>
                ) : (
                  t.text
                ),
              )}
              {'\n'}
            </span>
          );
        })}
      </code>
    </pre>
  );
}

/** A markdown cell: rendered by markdown-it without raw HTML, then sanitised by DOMPurify. */
export function MarkdownBlock({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  if (source.trim() === '') return <p className="nb-markdown nb-markdown--empty muted">(empty markdown cell)</p>;
  // Safe: renderMarkdown's output went through DOMPurify (see markdown.ts).
  return <div className="nb-markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

function OutputView({ output, alt }: { output: CellOutput; alt: string }) {
  switch (output.type) {
    case 'stream':
      return (
        <div className={cx('nb-output', 'nb-output--stream', output.name === 'stderr' && 'nb-output--stderr')}>
          <pre>{output.text}</pre>
          {output.truncated && <p className="nb-output__note muted small">Output cut: it is longer than Greenhouse shows.</p>}
        </div>
      );
    case 'text':
      return (
        <div className="nb-output nb-output--text">
          <pre>{output.text}</pre>
          {output.truncated && <p className="nb-output__note muted small">Output cut: it is longer than Greenhouse shows.</p>}
        </div>
      );
    case 'image':
      return (
        <div className="nb-output nb-output--image">
          <img src={`data:${output.mime};base64,${output.data}`} alt={alt} />
        </div>
      );
    case 'error':
      return (
        <div className="nb-output nb-output--error">
          <p className="nb-output__error-head">
            <strong className="mono">{output.ename}</strong>
            {output.evalue ? `: ${output.evalue}` : ''}
          </p>
          {output.traceback && <pre className="nb-traceback">{output.traceback}</pre>}
        </div>
      );
    case 'omitted':
      return <p className="nb-output nb-output--omitted muted small">{/[.!?]$/.test(output.reason) ? output.reason : `${output.reason}.`}</p>;
  }
}
