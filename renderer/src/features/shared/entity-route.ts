// What every catalog page's place in the URL hash shares: its first segment is the entry's
// name, URI-encoded, with "@version" when a version other than the latest is shown
// (#/datasets/churn@2/…, #/notebooks/train/…, #/models/churn@3/scan, #/environments/py311/…).

/** A segment decoded, or null when it is not valid URI encoding. */
export const decodeSegment = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
};

/** "churn@2" → { name: 'churn', version: 2 }; "churn" → version null; null when the name is empty or garbled. */
export function parseNameVersion(head: string | undefined): { name: string; version: number | null } | null {
  if (!head) return null;
  const m = /^(.*?)(?:@(\d+))?$/.exec(head)!;
  const name = decodeSegment(m[1]!);
  if (!name) return null;
  const version = m[2] ? Number(m[2]) : null;
  return { name, version: version && version > 0 ? version : null };
}

/** The segment parseNameVersion reads back. */
export const formatNameVersion = (name: string, version: number | null): string =>
  `${encodeURIComponent(name)}${version === null ? '' : `@${version}`}`;
