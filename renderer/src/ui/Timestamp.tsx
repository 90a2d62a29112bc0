import { formatTimestamp } from './format.js';

/** A moment as people read it, with the full local date and time on hover. */
export function Timestamp({ value }: { value: string }) {
  return (
    <time dateTime={value} title={new Date(value).toLocaleString()}>
      {formatTimestamp(value)}
    </time>
  );
}
