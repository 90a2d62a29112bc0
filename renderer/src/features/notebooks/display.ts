// How notebook facts read: severities, rules, cells, registration outcomes and runs.
import { NOTEBOOK_RULES, type Finding, type FindingSeverity, type Job, type NotebookRegisterResult, type NotebookRun } from '../../../../shared/contract/index.js';
import type { Registration } from '../../store/index.js';
import type { BadgeTone } from '../../ui/Badge.js';
import { formatDuration } from '../../ui/format.js';
import { registrationStatusText } from '../shared/registration-status.js';

export const SEVERITIES: readonly FindingSeverity[] = ['error', 'warning', 'info'];

export const SEVERITY_DISPLAY: Record<FindingSeverity, { label: string; plural: string; tone: BadgeTone }> = {
  error: { label: 'Error', plural: 'errors', tone: 'danger' },
  warning: { label: 'Warning', plural: 'warnings', tone: 'warning' },
  info: { label: 'Info', plural: 'info', tone: 'info' },
};

export const ruleLabel = (rule: Finding['rule']) => NOTEBOOK_RULES[rule];

export const isNotebookFileName = (name: string) => /\.ipynb$/i.test(name);

/** Cells are numbered from 1 for people, as the reproduce job's messages do; the contract counts from 0. */
export const cellLabel = (index: number) => `Cell ${index + 1}`;

/** The DOM id of a cell on the notebook page, for scrolling to it. */
export const cellDomId = (index: number) => `notebook-cell-${index}`;

export type FindingCounts = Record<FindingSeverity, number>;

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts: FindingCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** Findings grouped by cell index ('notebook' for notebook-level ones), each group in severity order. */
export function findingsByCell(findings: readonly Finding[]): Map<number | 'notebook', Finding[]> {
  const order = (f: Finding) => SEVERITIES.indexOf(f.severity);
  const groups = new Map<number | 'notebook', Finding[]>();
  for (const f of [...findings].sort((a, b) => order(a) - order(b) || (a.line ?? 0) - (b.line ?? 0))) {
    const key = f.cell ?? 'notebook';
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  return groups;
}

/** The headline of a finished registration; "unchanged" says why nothing was made. */
export function notebookOutcomeText(result: NotebookRegisterResult): string {
  switch (result.outcome) {
    case 'created':
      return `Registered ${result.name} as a new notebook (version ${result.version}).`;
    case 'new-version':
      return `Registered version ${result.version} of ${result.name}: its code changed.`;
    case 'unchanged':
      return `Nothing changed: the code is the same as ${result.name} version ${result.version}, so no new version was made. Outputs and execution counts do not count as changes.`;
  }
}

/** What a registration card says while it is not finished or when it could not start. */
export const notebookRegistrationStatus = (registration: Registration, job: Job | undefined) =>
  registrationStatusText(registration, job, 'Reading and analysing the notebook…');

/** One line for a run: "Passed in 4.2 s" or "Failed at cell 3 (NameError) after 1.1 s". */
export function runHeadline(run: NotebookRun): string {
  const took = formatDuration(run.durationMs);
  if (run.state === 'passed') return `Passed: every code cell ran without an error, in ${took}.`;
  if (run.failedCell === null) return `Failed after ${took}.`;
  return `Failed at ${cellLabel(run.failedCell).toLowerCase()}${run.error ? ` with ${run.error.ename}` : ''}, after ${took}.`;
}

