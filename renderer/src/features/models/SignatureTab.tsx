import type { ModelDetail } from '../../../../shared/contract/index.js';
import { Badge } from '../../ui/Badge.js';
import { formatValue } from './display.js';

/** What the model expects and returns: the contract the serving app validates requests against. */
export function SignatureTab({ detail }: { detail: ModelDetail }) {
  const { inputs, outputs, inputsFrom } = detail.signature;
  return (
    <div className="model-stack">
      <section className="panel" aria-labelledby="signature-inputs-heading">
        <div className="panel__head">
          <h2 id="signature-inputs-heading" className="panel__title">
            Inputs
          </h2>
          <span className="muted small">
            {inputs.length} column{inputs.length === 1 ? '' : 's'},{' '}
            {inputsFrom === 'model' ? 'named by the model itself (feature_names_in_), types from the training data' : 'the training columns without the target'}.
          </span>
        </div>
        <div className="table-wrap">
          <table className="table signature-table">
            <caption className="visually-hidden">Signature inputs</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Nullable</th>
              </tr>
            </thead>
            <tbody>
              {inputs.map((i) => (
                <tr key={i.name}>
                  <th scope="row" className="mono">
                    {i.name}
                  </th>
                  <td>
                    <span className="type-tag">{i.dtype}</span>
                  </td>
                  <td>{i.nullable ? <Badge tone="warning">nullable</Badge> : <span className="muted">required</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="signature-outputs-heading">
        <div className="panel__head">
          <h2 id="signature-outputs-heading" className="panel__title">
            Outputs
          </h2>
        </div>
        <div className="table-wrap">
          <table className="table signature-table">
            <caption className="visually-hidden">Signature outputs</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Type</th>
                <th scope="col">Class</th>
              </tr>
            </thead>
            <tbody>
              {outputs.map((o) => (
                <tr key={o.name}>
                  <th scope="row" className="mono">
                    {o.name}
                  </th>
                  <td>{o.kind}</td>
                  <td>
                    <span className="type-tag">{o.dtype}</span>
                  </td>
                  <td className="mono">{o.class === null ? <span className="muted">—</span> : formatValue(o.class)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
