import type { ReactNode } from 'react';

/** An honest note that a feature is planned but not built yet. */
export function ComingSoon({ children }: { children: ReactNode }) {
  return (
    <p className="coming-soon">
      <span className="coming-soon__label">Coming later</span>
      <span>{children}</span>
    </p>
  );
}
