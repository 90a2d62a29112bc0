import { describe, expect, it } from 'vitest';
import { formatBytes } from './register-task.js';

describe('formatBytes', () => {
  it('says sizes the way people read them', () => {
    expect([0, 1000, 1024, 141_926, 5 * 1024 ** 2, 2 * 1024 ** 3, 3.5 * 1024 ** 4].map(formatBytes)).toEqual([
      '0 bytes',
      '1000 bytes',
      '1.0 KB',
      '138.6 KB',
      '5.0 MB',
      '2.0 GB',
      '3.5 TB',
    ]);
  });
});
