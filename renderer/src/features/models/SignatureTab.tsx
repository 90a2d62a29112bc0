import type { ModelDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { Panel } from '../../ui/Panel.js';
import { Table, type TableColumn } from '../../ui/Table.js';
import { formatValue } from './display.js';

type Signature = ModelDetail['signature'];

const INPUT_COLUMNS: readonly TableColumn<Signature['inputs'][number]>[] = [
  { key: 'name', header: 'Name', rowHeader: true, cellClassName: 'mono', cell: (i) => i.name },
  { key: 'type', header: 'Type', cell: (i) => <span className="type-tag">{i.dtype}</span> },
  { key: 'nullable', header: 'Nullable', cell: (i) => (i.nullable ? <Badge tone="warning">nullable</Badge> : <span className="muted">required</span>) },
];

const OUTPUT_COLUMNS: readonly TableColumn<Signature['outputs'][number]>[] = [
  { key: 'name', header: 'Name', rowHeader: true, cellClassName: 'mono', cell: (o) => o.name },
  { key: 'kind', header: 'Kind', cell: (o) => o.kind },
  { key: 'type', header: 'Type', cell: (o) => <span className="type-tag">{o.dtype}</span> },
  { key: 'class', header: 'Class', cellClassName: 'mono', cell: (o) => (o.class === null ? <span className="muted">—</span> : formatValue(o.class)) },
];

/** What the model expects and returns: the contract the serving app validates requests against. */
export function SignatureTab({ detail }: { detail: ModelDetail }) {
  const { inputs, outputs, inputsFrom } = detail.signature;
  return (
    <div className="model-stack">
      <Panel
        headingId="signature-inputs-heading"
        title="Inputs"
        note={
          <>
            {inputs.length} column{inputs.length === 1 ? '' : 's'},{' '}
            {inputsFrom === 'model' ? 'named by the model itself (feature_names_in_), types from the training data' : 'the training columns without the target'}.
          </>
        }
      >
        <Table caption="Signature inputs" columns={INPUT_COLUMNS} rows={inputs} rowKey={(i) => i.name} className="signature-table table--named-rows" />
      </Panel>
      <Panel headingId="signature-outputs-heading" title="Outputs">
        <Table caption="Signature outputs" columns={OUTPUT_COLUMNS} rows={outputs} rowKey={(o) => o.name} className="signature-table table--named-rows" />
      </Panel>
    </div>
  );
}
