import { useDeferredValue, useId, useState } from 'react';
import type { EnvPackage, EnvironmentDetail } from '../../../../shared/contract/index.js';
import { plural } from '../../ui/format.js';
import { IconSearch } from '../../ui/icons.js';
import { Panel } from '../../ui/Panel.js';
import type { TableColumn } from '../../ui/Table.js';
import { VirtualTable } from '../../ui/VirtualTable.js';

const COLUMNS: readonly TableColumn<EnvPackage>[] = [
  { key: 'name', header: 'Package', rowHeader: true, className: 'mono', cell: (p) => p.name },
  { key: 'version', header: 'Version', className: 'mono', cell: (p) => p.version ?? <span className="muted">not pinned</span> },
  { key: 'specifier', header: 'Requirement', className: 'mono', cell: (p) => p.specifier ?? <span className="muted">exact</span> },
];

/** Every package of the version shown, filterable by name; long lists render only the rows in view. */
export function PackagesTab({ detail }: { detail: EnvironmentDetail }) {
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter.trim().toLowerCase());
  const packages = detail.version.packages;
  const shown = deferred ? packages.filter((p) => p.name.includes(deferred.replace(/[_.]+/g, '-'))) : packages;
  const filterId = useId();
  return (
    <Panel
      headingId="env-packages-heading"
      title="Packages"
      headClassName="env-packages__head"
      aside={
        <>
          <div className="search">
            <IconSearch className="search__icon" />
            <label htmlFor={filterId} className="visually-hidden">
              Filter packages
            </label>
            <input
              id={filterId}
              type="search"
              className="input input--sm search__input"
              placeholder="Filter by name"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          </div>
          <span className="muted small" aria-live="polite">
            {deferred ? `${shown.length} of ${plural(packages.length, 'package')}` : plural(packages.length, 'package')}
          </span>
        </>
      }
    >
      {packages.length === 0 ?
        <p className="panel__empty muted">No packages: the interpreter has none installed beyond the standard library, or the file lists none.</p>
      : shown.length === 0 ?
        <p className="panel__empty muted">No package matches “{filter.trim()}”.</p>
      : <VirtualTable caption={`Packages of ${detail.name} version ${detail.version.version}`} columns={COLUMNS} rows={shown} rowKey={(p) => p.name} className="env-packages table--named-rows" />}
    </Panel>
  );
}
