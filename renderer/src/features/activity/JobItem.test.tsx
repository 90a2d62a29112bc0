// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { job } from '../../testing/fixtures.js';
import { JobItem } from './JobItem.js';

afterEach(cleanup);

describe('JobItem', () => {
  it('shows a running job with its progress and a cancel button', async () => {
    const onCancel = vi.fn(async () => undefined);
    render(
      <ul>
        <JobItem job={job({ progress: 0.42, message: 'Hashing 4 of 10' })} onCancel={onCancel} />
      </ul>,
    );
    const bar = screen.getByRole('progressbar', { name: 'Verify snapshots progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('42');
    expect(screen.getByText('Running')).toBeTruthy();
    expect(screen.getByText('Hashing 4 of 10')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Cancel Verify snapshots' }));
    });
    expect(onCancel).toHaveBeenCalledWith('job-1');
  });

  it('shows an indeterminate bar while the total is unknown', () => {
    render(
      <ul>
        <JobItem job={job({ state: 'queued', progress: null })} onCancel={vi.fn()} />
      </ul>,
    );
    const bar = screen.getByRole('progressbar');
    expect(bar.hasAttribute('aria-valuenow')).toBe(false);
    expect(bar.getAttribute('aria-valuetext')).toBe('In progress');
  });

  it('shows a finished job full, with its result and no cancel button', () => {
    render(
      <ul>
        <JobItem
          job={job({
            state: 'succeeded',
            progress: 1,
            finishedAt: '2026-01-10T09:00:03.500Z',
            result: { checked: 3, bytes: 2048, corrupt: [] },
          })}
          onCancel={vi.fn()}
        />
      </ul>,
    );
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByText('Checked 3 snapshots (2.0 kB): all intact.')).toBeTruthy();
    expect(screen.getByText('took 2.5 s')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Cancel/ })).toBeNull();
  });

  it('shows why a job failed and what to do', () => {
    render(
      <ul>
        <JobItem
          job={job({ state: 'failed', error: { code: 'IO_ERROR', message: 'Disk full.', remedy: 'Free some space.' } })}
          onCancel={vi.fn()}
        />
      </ul>,
    );
    expect(screen.getByText('Failed')).toBeTruthy();
    expect(screen.getByText('Disk full.')).toBeTruthy();
    expect(screen.getByText('Free some space.')).toBeTruthy();
  });
});
