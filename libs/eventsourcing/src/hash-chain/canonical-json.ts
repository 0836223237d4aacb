/**
 * RFC 8785 (JSON Canonicalization Scheme). Primitives serialise exactly as ECMAScript's
 * JSON.stringify does, which the RFC adopts; object members are sorted by UTF-16 code units.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError('canonical JSON cannot represent a non-finite number');
    }
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  // The default sort compares strings by UTF-16 code units, which is what RFC 8785 asks for.
  const keys = Object.keys(value).sort();
  let members = '';
  for (const key of keys) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    members += `${members === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `{${members}}`;
}
