// The mechanism behind the role-by-field table (field-views.ts): which roles see a field, the
// answer cut down to what a caller's roles see, and the fields a role is shown, named for the
// access log and the OpenAPI text. The table is data; nothing here knows a particular answer.
import type { Role } from '@homeward/security';

export type Readers = readonly Role[];

/** A field's readers, or the table of a section that is an answer of its own (a page's items, a file's cases). */
export type Row = Readers | FieldTable;

export interface FieldTable {
  /** The answer's class: its @ApiProperty fields are the fields the table must cover. */
  readonly view?: abstract new () => unknown;
  /**
   * `path` (dot-separated, through arrays as if they were single values) → who sees it. A path's
   * readers are those of its nearest listed ancestor-or-self; a field nobody's row reaches is seen
   * by nobody. `*` is the whole answer.
   */
  readonly rows: Readonly<Record<string, Row>>;
}

const wholeAnswer = '*';

export const fieldTable = (view: FieldTable['view'], rows: FieldTable['rows']): FieldTable => ({ view, rows });

/** An answer with no personal field: every caller the route admits sees all of it. */
export const everythingTo = (readers: Readers): FieldTable => ({ rows: { [wholeAnswer]: readers } });

const isTable = (row: Row): row is FieldTable => !Array.isArray(row);
const readable = (readers: Readers, roles: readonly string[]) => readers.some((role) => roles.includes(role));
const split = (key: string) => (key === wholeAnswer ? [] : key.split('.'));
const startsWith = (path: readonly string[], prefix: readonly string[]) =>
  prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);

/** Whether any row of the table (nested tables included) grants one of the roles. */
function anyReadable(table: FieldTable, roles: readonly string[]): boolean {
  return Object.values(table.rows).some((row) => (isTable(row) ? anyReadable(row, roles) : readable(row, roles)));
}

/**
 * Whether one of the roles sees the field at `path`: its nearest listed ancestor-or-self grants it,
 * or a row further down does (then the field is there, holding only what is granted).
 */
export function visible(table: FieldTable, path: readonly string[], roles: readonly string[]): boolean {
  let nearest: { length: number; row: Row } | undefined;
  for (const [key, row] of Object.entries(table.rows)) {
    const rowPath = split(key);
    if (startsWith(path, rowPath)) {
      if (!nearest || rowPath.length > nearest.length) nearest = { length: rowPath.length, row };
    } else if (startsWith(rowPath, path) && (isTable(row) ? anyReadable(row, roles) : readable(row, roles))) {
      return true;
    }
  }
  if (!nearest) return false;
  if (!isTable(nearest.row)) return readable(nearest.row, roles);
  return nearest.length === path.length ? anyReadable(nearest.row, roles) : visible(nearest.row, path.slice(nearest.length), roles);
}

/** A visibility test remembered per path: an answer repeats the same paths in every item. */
function memoised(table: FieldTable, roles: readonly string[]): (path: readonly string[]) => boolean {
  const known = new Map<string, boolean>();
  return (path) => {
    const key = path.join('.');
    let seen = known.get(key);
    if (seen === undefined) {
      seen = visible(table, path, roles);
      known.set(key, seen);
    }
    return seen;
  };
}

/** The answer as the roles may see it: a field they may not see is left out (absent, not null). */
export function shape<T>(answer: T, table: FieldTable, roles: readonly string[]): T {
  const sees = memoised(table, roles);
  const cut = (value: unknown, path: readonly string[]): unknown => {
    if (Array.isArray(value)) return value.map((item) => cut(item, path));
    if (value === null || typeof value !== 'object') return value;
    const kept: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      if (sees(childPath)) kept[key] = cut(child, childPath);
    }
    return kept;
  };
  return cut(answer, []) as T;
}

interface PropertyMetadata {
  type?: unknown;
}

/** The fields of a view class as @nestjs/swagger recorded them (its own and inherited). */
function propertiesOf(view: unknown): Array<{ name: string; type: unknown }> {
  if (typeof view !== 'function') return [];
  const prototype = (view as { prototype: object }).prototype;
  const names = (Reflect.getMetadata('swagger/apiModelPropertiesArray', prototype) as string[] | undefined) ?? [];
  return names.map((entry) => {
    const name = entry.replace(/^:/, '');
    const metadata = Reflect.getMetadata('swagger/apiModelProperties', prototype, name) as PropertyMetadata | undefined;
    return { name, type: metadata?.type };
  });
}

const isViewClass = (type: unknown) => propertiesOf(type).length > 0;

/** Every leaf field of the table's answer, as paths (arrays walked through). */
export function leafPaths(table: FieldTable): string[][] {
  const walk = (view: unknown, path: string[]): string[][] =>
    propertiesOf(view).flatMap(({ name, type }) => (isViewClass(type) ? walk(type, [...path, name]) : [[...path, name]]));
  return table.view ? walk(table.view, []) : [[]];
}

/** The fields `sees` admits, as few paths as name them exactly: a section admitted whole is named whole. */
function cover(table: FieldTable, sees: (path: readonly string[]) => boolean): string[] {
  if (!table.view) return sees([]) ? [wholeAnswer] : [];
  const walk = (view: unknown, path: string[]): { all: boolean; paths: string[] } => {
    const parts = propertiesOf(view).map(({ name, type }) => {
      const childPath = [...path, name];
      if (!isViewClass(type)) return sees(childPath) ? { all: true, paths: [childPath.join('.')] } : { all: false, paths: [] };
      const inner = walk(type, childPath);
      return inner.all ? { all: true, paths: [childPath.join('.')] } : inner;
    });
    return { all: parts.every((part) => part.all), paths: parts.flatMap((part) => part.paths) };
  };
  return walk(table.view, []).paths;
}

/**
 * The fields the roles are shown, for the access log: a section every leaf of which they see is
 * named whole (`deportation`), one they see in part by its visible fields (`deportation.toCountry`).
 * `*` when the table grants the whole answer.
 */
export function fieldsShown(table: FieldTable, roles: readonly string[]): string[] {
  return cover(table, memoised(table, roles));
}

/** What a role gets, in words, for the OpenAPI text: whichever of "all but …" and "only …" is shorter. */
export function describeFields(table: FieldTable, role: string): string {
  const sees = memoised(table, [role]);
  const shown = cover(table, sees);
  const hidden = cover(table, (path) => !sees(path));
  if (hidden.length === 0) return 'everything';
  if (shown.length === 0) return 'nothing';
  return hidden.length <= shown.length ? `everything but ${hidden.join(', ')}` : `only ${shown.join(', ')}`;
}

/** Every person an answer names, from the field that holds a person id (through pages and lists). */
export function personIdsIn(answer: unknown, path: readonly string[]): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, rest: readonly string[]): void => {
    if (Array.isArray(value)) return value.forEach((item) => walk(item, rest));
    if (rest.length === 0) {
      if (typeof value === 'string' && value !== '') found.add(value);
      return;
    }
    if (value !== null && typeof value === 'object') walk((value as Record<string, unknown>)[rest[0]!], rest.slice(1));
  };
  walk(answer, path);
  return [...found];
}
