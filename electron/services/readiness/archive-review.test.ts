import { describe, expect, it } from 'vitest';
import type { Review } from '../../../shared/contract/index.js';
import { mergeReviews, withReviews } from './archive-review.js';
import { reportFixture } from './report-fixture.js';

const review = (over: Partial<Review>): Review => ({ id: 1, reviewer: 'ana', at: '2026-11-01T10:00:00.000Z', decision: 'request-changes', summary: '', comments: [], manifestSha256: 'm1', ...over });

describe('mergeReviews', () => {
  it('keeps the archive\'s reviews and appends the workspace\'s new ones, numbered after them', () => {
    const archived = [review({ id: 1 }), review({ id: 4, reviewer: 'bo', at: '2026-11-02T10:00:00.000Z' })];
    const local = [review({ id: 1, reviewer: 'ops', at: '2026-11-03T10:00:00.000Z', decision: 'approve' })];
    expect(mergeReviews(archived, local)).toEqual([...archived, { ...local[0], id: 5 }]);
  });

  it('does not add a review the archive already holds (written before, ids differ)', () => {
    const written = review({ id: 2, reviewer: 'ops', at: '2026-11-03T10:00:00.000Z', decision: 'approve' });
    expect(mergeReviews([review({}), written], [{ ...written, id: 7 }])).toEqual([review({}), written]);
    expect(mergeReviews([], [])).toEqual([]);
  });
});

describe('withReviews', () => {
  it('brings the verdict and evaluation time up to date with the reviews of this manifest', () => {
    const base = reportFixture().readiness;
    const manifest = base.bundle.manifestSha256;
    const gatesPass = { ...base, gates: base.gates.map((g) => ({ ...g, passed: true, remedy: null, override: null })), gatesPassed: true, reviews: [] };
    const approved = withReviews(gatesPass, [review({ manifestSha256: manifest, decision: 'approve', reviewer: 'ops', at: '2099-01-01T00:00:00.000Z' })]);
    expect(approved.verdict.ready).toBe(true);
    expect(approved.verdict.summary).toMatch(/^Ready: gates pass and approved by ops\./);
    expect(approved.evaluatedAt).toBe('2099-01-01T00:00:00.000Z');
    // An approval of another manifest does not count; a later request for changes undoes one.
    expect(withReviews(gatesPass, [review({ manifestSha256: 'other', decision: 'approve' })]).verdict.ready).toBe(false);
    const undone = withReviews(gatesPass, [review({ manifestSha256: manifest, decision: 'approve' }), review({ manifestSha256: manifest, reviewer: 'lee', at: '2099-02-01T00:00:00.000Z' })]);
    expect(undone.verdict).toMatchObject({ ready: false, summary: expect.stringContaining('changes requested by lee') });
    // A failing gate keeps it from being ready, approved or not.
    const failing = { ...gatesPass, gates: gatesPass.gates.map((g, i) => (i === 0 ? { ...g, passed: false, remedy: 'Build it.' } : g)) };
    expect(withReviews(failing, approved.reviews).verdict).toMatchObject({ ready: false, summary: expect.stringMatching(/^Not ready: 1 hand-off gate fails/) });
  });
});
