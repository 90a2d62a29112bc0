import { Fragment, type ReactNode } from 'react';
import type { Registration } from '../../store/index.js';

/** Registrations started here that are running or whose outcome has not been dismissed. */
export function RegistrationList({
  registrations,
  exclude,
  card,
}: {
  registrations: readonly Registration[];
  /** The one the register dialog shows. */
  exclude: string | null;
  card: (registration: Registration) => ReactNode;
}) {
  const shown = registrations.filter((r) => r.id !== exclude);
  if (shown.length === 0) return null;
  return (
    <section className="registrations" aria-label="Registrations">
      {shown.map((r) => (
        <Fragment key={r.id}>{card(r)}</Fragment>
      ))}
    </section>
  );
}
