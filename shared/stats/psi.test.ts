import { describe, expect, it } from 'vitest';
import { psi, psiBand, rebin } from './psi.js';

describe('psi', () => {
  it('is zero for identical distributions and matches a hand computation otherwise', () => {
    expect(psi([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 12);
    // expected 50/50, actual 80/20: (0.8-0.5)ln(0.8/0.5) + (0.2-0.5)ln(0.2/0.5)
    const byHand = 0.3 * Math.log(1.6) + -0.3 * Math.log(0.4);
    expect(psi([50, 50], [80, 20])).toBeCloseTo(byHand, 12);
    expect(psiBand(byHand)).toBe('major shift');
  });

  it('stays finite when a bin is empty on one side', () => {
    const v = psi([100, 0], [50, 50])!;
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(1);
  });

  it('refuses mismatched or empty inputs', () => {
    expect(psi([1], [1, 2])).toBeNull();
    expect(psi([0, 0], [1, 1])).toBeNull();
  });
});

describe('rebin', () => {
  it('keeps the total and splits a bin proportionally', () => {
    const out = rebin([{ lower: 0, upper: 10, count: 100 }], [0, 2.5, 5, 10]);
    expect(out).toEqual([25, 25, 50]);
  });

  it('puts mass outside the target range into the end bins', () => {
    const out = rebin(
      [
        { lower: -10, upper: 0, count: 10 },
        { lower: 20, upper: 30, count: 5 },
      ],
      [0, 5, 10],
    );
    expect(out).toEqual([10, 5]);
  });
});
