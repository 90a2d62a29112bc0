import { shortSha } from './format.js';

/** A SHA-256 shortened to 12 hex digits, the whole one on hover; `ellipsis` marks it as cut. */
export function Sha({ value, ellipsis = false }: { value: string; ellipsis?: boolean }) {
  return (
    <code className="sha" title={value}>
      {shortSha(value)}
      {ellipsis ? '…' : ''}
    </code>
  );
}
