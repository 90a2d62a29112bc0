// Data the end-to-end specs write: deterministic, so runs and screenshots compare.

export const PLANS = ['basic', 'pro', 'enterprise'];
export const REGIONS = ['north', 'south', 'east', 'west'];

/** A deterministic pseudo-random sequence (a linear congruential generator). */
export function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}
