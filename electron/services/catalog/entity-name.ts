/** A valid catalog name (see entityName in the contract) made from free text such as a file name. */
export function toEntityName(raw: string, fallback: string): string {
  return raw.replace(/[^\w.\- ]+/g, '_').replace(/^[^\w]+/, '').slice(0, 120) || fallback;
}
