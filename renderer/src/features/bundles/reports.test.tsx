// @vitest-environment jsdom
// The pieces the wizard and the bundle page share: the live job log, the smoke-test results and the verify report.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { failedSmokeResult, smokeResult, verifyResult } from '../../testing/bundle-fixtures.js';
import { JobLog } from './JobLog.js';
import { SmokeResults } from './SmokeResults.js';
import { VerifyReport } from './VerifyReport.js';

afterEach(cleanup);

/** jsdom lays nothing out: give the log box a size and a scroll position a browser would. */
function layOut(box: HTMLElement, scrollHeight: number, clientHeight = 300) {
  let top = 0;
  Object.defineProperty(box, 'scrollHeight', { configurable: true, get: () => scrollHeight });
  Object.defineProperty(box, 'clientHeight', { configurable: true, get: () => clientHeight });
  Object.defineProperty(box, 'scrollTop', { configurable: true, get: () => top, set: (v: number) => (top = v) });
  return {
    grow: (to: number) => (scrollHeight = to),
    scrollTo: (to: number) => {
      top = to;
      fireEvent.scroll(box);
    },
    top: () => top,
  };
}

const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `line ${from + i}`);

describe('JobLog', () => {
  it('follows the newest line until the user scrolls up, then offers to follow again', () => {
    const { rerender } = render(<JobLog lines={lines(10)} label="Build log" live />);
    const box = screen.getByRole('log', { name: 'Build log' });
    expect(box.getAttribute('aria-live')).toBe('off');
    expect(box.tabIndex).toBe(0);
    const layout = layOut(box, 1000);

    rerender(<JobLog lines={lines(20)} label="Build log" live />);
    expect(layout.top()).toBe(1000);

    // The user scrolls up to read: new lines no longer move the view.
    layout.scrollTo(200);
    layout.grow(1400);
    rerender(<JobLog lines={lines(30)} label="Build log" live />);
    expect(layout.top()).toBe(200);
    fireEvent.click(screen.getByRole('button', { name: 'Follow the log' }));
    expect(layout.top()).toBe(1400);
    expect(screen.queryByRole('button', { name: 'Follow the log' })).toBeNull();

    // Scrolling back to the end follows again.
    layout.scrollTo(900);
    expect(screen.getByRole('button', { name: 'Follow the log' })).toBeTruthy();
    layout.scrollTo(1400 - 300 - 10);
    layout.grow(1600);
    rerender(<JobLog lines={lines(40)} label="Build log" live />);
    expect(layout.top()).toBe(1600);
  });

  it('marks steps and errors, says how many earlier lines were let go, and has no follow button once finished', () => {
    render(<JobLog lines={['Step 3/12 : RUN pip check', 'ERROR: pip check failed', 'Warning: slow network', 'plain']} dropped={1500} label="Build log" />);
    const box = screen.getByRole('log', { name: 'Build log' });
    expect(box.querySelector('.job-log__line--step')!.textContent).toBe('Step 3/12 : RUN pip check\n');
    expect(box.querySelector('.job-log__line--error')!.textContent).toBe('ERROR: pip check failed\n');
    expect(box.querySelector('.job-log__line--warning')).toBeTruthy();
    expect(within(box).getByText('1500 earlier lines not shown')).toBeTruthy();
    const layout = layOut(box, 1000);
    layout.scrollTo(0);
    expect(screen.queryByRole('button', { name: 'Follow the log' })).toBeNull();
  });

  it('says when there is nothing yet', () => {
    render(<JobLog lines={[]} label="Build log" live empty="Waiting for the engine’s first line…" />);
    expect(screen.getByText('Waiting for the engine’s first line…')).toBeTruthy();
  });
});

describe('SmokeResults', () => {
  it('shows a passing test: every check ok, parity on both endpoints with the max difference against the tolerance, latency and pytest', () => {
    render(<SmokeResults result={smokeResult()} />);
    expect(screen.getByRole('heading', { level: 2, name: 'Smoke test passed' })).toBeTruthy();
    const checks = within(screen.getByRole('list', { name: 'Checks' })).getAllByRole('listitem');
    expect(checks).toHaveLength(8);
    expect(checks.every((c) => within(c).getByText('ok').className.includes('badge--success'))).toBe(true);
    expect(checks[2]!.textContent).toContain('Golden parity on /predict');

    const parity = screen.getByRole('region', { name: 'Golden parity' });
    expect(parity.textContent).toContain('100 of 100 matched');
    expect(parity.textContent).toContain('2.2e-16');
    expect(parity.textContent).toContain('(tolerance 1e-6)');
    expect(parity.textContent).toContain('All 100 examples matched on both endpoints.');
    const latency = screen.getByRole('region', { name: 'Latency' });
    expect(latency.textContent).toContain('p502.4 ms');
    expect(latency.textContent).toContain('p954.1 ms');
    expect(screen.getByRole('region', { name: 'Malformed input and metrics' }).textContent).toContain('2 of 2');
    expect(screen.getByRole('region', { name: 'Generated tests' }).textContent).toContain('6 passed in 2.31s');
    // Nothing failed: no mismatch table, no container log.
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByText('The container’s log')).toBeNull();
  });

  it('shows a failing test: FAIL on the checks, the mismatches table, the malformed requests not refused, and the container’s log', () => {
    render(<SmokeResults result={failedSmokeResult()} />);
    expect(screen.getByRole('heading', { name: 'Smoke test failed' })).toBeTruthy();
    const failed = screen.getByRole('list', { name: 'Checks' }).querySelectorAll('[data-ok="false"]');
    expect([...failed].map((li) => li.getAttribute('data-check'))).toEqual(['parity.predict', 'malformed']);
    expect(within(failed[0] as HTMLElement).getByText('FAIL').className).toContain('badge--danger');
    expect(screen.getByText('2 of 8 checks failed')).toBeTruthy();

    const mismatches = screen.getByRole('table', { name: 'Golden examples that differ' });
    const rows = within(mismatches).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(['/predict3probabilities[1]0.80.7', '/predict17labelyesno']);
    expect(screen.getByText('2 differ on /predict, 0 on V2 infer.')).toBeTruthy();
    const malformed = screen.getByRole('table', { name: 'Malformed requests and their answers' });
    expect(within(malformed).getByRole('row', { name: /empty batch/ }).textContent).toContain('not refused');
    expect(screen.getByLabelText('The container’s log').textContent).toContain('ValueError: empty batch');
  });
});

describe('VerifyReport', () => {
  it('shows the checks, the signature, the image and a skipped rerun', () => {
    render(<VerifyReport result={verifyResult()} />);
    expect(screen.getByRole('heading', { name: 'Verified' })).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Verification checks' })).getAllByText('ok')).toHaveLength(4);
    expect(screen.getByText('valid')).toBeTruthy();
    expect(screen.getByText('not included')).toBeTruthy();
    const rerun = document.querySelector('[data-rerun]')!;
    expect(rerun.getAttribute('data-rerun')).toBe('skipped');
    expect(rerun.textContent).toContain('does not include its image');
    expect(screen.getByText('31 files checked')).toBeTruthy();
  });

  it('names the files that differ, are missing or unlisted, with the remedy of a failed check, and the rerun’s smoke test', () => {
    render(
      <VerifyReport
        result={verifyResult({
          ok: false,
          checks: [
            { id: 'files', ok: false, message: '1 file differs from the manifest, 1 is missing.', remedy: 'Get the original bundle from its author.' },
            { id: 'rerun', ok: false, message: 'The included image was loaded but its smoke test failed: parity.predict.' },
          ],
          files: {
            checked: 31,
            mismatched: [{ path: 'app/server.py', expected: { sha256: 'a'.repeat(64), bytes: 24_310 }, actual: { sha256: 'b'.repeat(64), bytes: 24_311 }, reason: 'changed' }],
            missing: ['model/golden.json'],
            extra: ['notes.txt'],
          },
          image: { present: true, ok: true, message: 'image.tar matches the manifest.' },
          rerun: { state: 'failed', reason: 'The included image was loaded but its smoke test failed: parity.predict.', smoke: failedSmokeResult() },
        })}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Did not verify' })).toBeTruthy();
    expect(screen.getByText('Get the original bundle from its author.')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Files that differ from the manifest' });
    expect(within(table).getByRole('rowheader', { name: 'app/server.py' })).toBeTruthy();
    expect(table.textContent).toContain('aaaaaaaaaaaa · 24310 B');
    expect(within(screen.getByRole('list', { name: 'Missing' })).getByText('model/golden.json')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Not in the manifest' })).getByText('notes.txt')).toBeTruthy();
    expect(document.querySelector('[data-rerun]')!.getAttribute('data-rerun')).toBe('failed');
    // The rerun's own smoke test, open because it failed.
    expect(screen.getByRole('heading', { level: 3, name: 'Smoke test failed' })).toBeTruthy();
  });
});
