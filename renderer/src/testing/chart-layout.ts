// jsdom lays nothing out: recharts measures its wrapper and watches it with a ResizeObserver.
// Call at the top of a test file that renders charts.
import { afterEach, beforeEach, vi } from 'vitest';

/** A ResizeObserver and a size for every recharts wrapper, per test; undone after each. */
export function withChartLayout(size: { width: number; height: number } = { width: 600, height: 220 }): void {
  beforeEach(() => {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    );
    const original = HTMLElement.prototype.getBoundingClientRect;
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
      return this.classList.contains('recharts-wrapper') ? DOMRect.fromRect(size) : original.call(this);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
}
