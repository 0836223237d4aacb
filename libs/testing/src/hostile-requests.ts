// Requests that are invalid by construction, for property-based tests of the gateway's edge (the
// in-process unit test and the end-to-end one share them): an unknown field, a body that is not an
// object, broken or deeply nested JSON, bytes that are not UTF-8, a media type the API does not
// take, a CSV with an unknown column (no empty body: some commands take one); and path segments
// from valid ids to garbage.
import fc from 'fast-check';

/** What a problem document may never hold: stack frames, source paths, SQL, driver errors. */
export const internals = [
  /\n\s+at /,
  /node_modules/,
  /\/work\//,
  /file:\/\//,
  /\.[jt]s:\d+/,
  /\b(SELECT|INSERT INTO|DELETE FROM)\b/,
  /QueryFailedError|TypeError|ReferenceError|RangeError|SyntaxError/,
  /\bpg_|\brelation "/,
];

// Keys stay plain so that a message naming an unknown field cannot look like a leak by chance.
const key = fc.stringMatching(/^[a-z][a-zA-Z]{0,11}$/);
const unknownKey = fc.stringMatching(/^zz[a-z]{1,10}$/);
const hostileString = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '=cmd|" /C calc"!A0',
    '+1',
    '-1',
    '@SUM(A1)',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    '../../etc/passwd',
    '__proto__',
  ),
  fc.integer({ min: 10_000, max: 100_000 }).map((length) => 'x'.repeat(length)),
);
const leaf = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String));
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('node'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
})).node;
/** Real field names with values of the wrong kind, and always one field no DTO has. */
const fieldNames = fc.constantFrom(
  'fullName',
  'batchId',
  'personId',
  'date',
  'announcedCount',
  'releasedAt',
  'deportedAt',
  'consented',
  'rows',
  'channel',
  'address',
  'reasoning',
  'status',
  'mechanism',
  'birthDate',
  'citizenships',
  'charges',
  'sentenceMonths',
  '__proto__',
  'constructor',
);
const objectWithUnknownField = fc
  .tuple(fc.dictionary(fc.oneof(fieldNames, key), value, { maxKeys: 8 }), unknownKey, value)
  .map(([fields, extra, extraValue]) => JSON.stringify({ ...fields, [extra]: extraValue }));
const notAnObject = fc.oneof(fc.array(value, { maxLength: 5 }), leaf).map((body) => JSON.stringify(body));
const deepNesting = fc
  .integer({ min: 100, max: 20_000 })
  .chain((depth) =>
    fc
      .constantFrom('[', '{"a":')
      .map((open) => (open === '[' ? '['.repeat(depth) + ']'.repeat(depth) : open.repeat(depth) + '1' + '}'.repeat(depth))),
  );
const brokenJson = fc.oneof(
  fc.string({ maxLength: 300 }).filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
  fc.constantFrom('{', '{"a":}', '{"a":1,}', "{'a':1}", 'NaN', '{"a":1}{"b":2}', '\ufeff{"zz":1}'),
);

export interface HostileRequest {
  contentType?: string;
  body?: string | Uint8Array;
  label: string;
}

const jsonBody =
  (label: string) =>
  (body: string): HostileRequest => ({ contentType: 'application/json', body, label });
const anyHostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  { weight: 4, arbitrary: objectWithUnknownField.map(jsonBody('unknown field, wrong types')) },
  { weight: 2, arbitrary: notAnObject.map(jsonBody('not an object')) },
  { weight: 2, arbitrary: brokenJson.map(jsonBody('broken JSON')) },
  { weight: 1, arbitrary: deepNesting.map(jsonBody('deep nesting')) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
      contentType: 'application/json',
      // A JSON object whose string holds bytes that are not UTF-8 (0xC3 0x28 never is).
      body: new Uint8Array([
        ...Buffer.from('{"zzbad":"'),
        0xc3,
        0x28,
        0xff,
        ...bytes.filter((b) => b !== 0x22 && b !== 0x5c),
        ...Buffer.from('"}'),
      ]),
      label: 'invalid UTF-8',
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
          'application/json-patch+json',
          'text/html',
          'image/png',
          'application/javascript',
        ),
        objectWithUnknownField,
      )
      .map(([contentType, body]) => ({ contentType, body, label: `media type ${contentType}` })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.array(fc.oneof(fc.constantFrom('externalRef', 'fullName', 'birthDate'), key), { maxLength: 6 }),
        unknownKey,
        fc.array(fc.array(hostileString, { maxLength: 8 }), { maxLength: 20 }),
      )
      .map(([columns, extra, rows]) => ({
        contentType: 'text/csv',
        // An unknown column makes the header invalid: the file is refused as a whole.
        body: [
          [...columns, extra].join(','),
          ...rows.map((cells) => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')),
        ].join('\n'),
        label: 'CSV with an unknown column',
      })),
  },
);

/**
 * Under the gateway's 1 MiB body limit (oversized bodies have a test of their own): a server that
 * refuses a body by its media type answers before reading it, and closes the connection under a
 * client still sending megabytes, which the client sees as a failed fetch, not as the answer.
 */
const bodyLimitBytes = 1024 * 1024;
export const hostileRequest: fc.Arbitrary<HostileRequest> = anyHostileRequest.filter(
  (request) =>
    request.body === undefined ||
    (typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.byteLength) < bodyLimitBytes - 1024,
);

export const validId = fc.uuid({ version: [4, 7] });
export const hostileSegment = fc.oneof(
  fc.string({ minLength: 1, maxLength: 60 }).map(encodeURIComponent),
  fc.constantFrom(
    '%ZZ',
    '%',
    '%00',
    '%2e%2e',
    '..',
    '%2F',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    "'%20OR%201=1",
    '-1',
    '1e309',
    '0x10',
    '%C3%28',
    '%F0%9F%98%80',
  ),
  fc.integer({ min: 100, max: 2_000 }).map((length) => 'a'.repeat(length)),
);

/** The route with its parameters filled in order. */
export const urlFor = (route: string, segments: string[]): string => route.replace(/:\w+/g, () => segments.shift() ?? 'x');

/** Three path segments, mostly valid ids, sometimes garbage. */
export const segments = fc.array(fc.oneof({ weight: 3, arbitrary: validId }, { weight: 1, arbitrary: hostileSegment }), {
  minLength: 3,
  maxLength: 3,
});

const stringsIn = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.values(value).flatMap(stringsIn) : [];

/** What is wrong with an answer to an invalid request, if anything: [] when it is a clean 4xx problem. */
export function answerFaults(status: number, contentType: string, text: string): string[] {
  const faults: string[] = [];
  if (status < 400 || status >= 500) faults.push('expected a 4xx');
  if (!contentType.startsWith('application/problem+json')) faults.push(`content-type ${contentType}`);
  let problem: { type?: unknown; status?: unknown; instance?: unknown };
  try {
    problem = JSON.parse(text) as typeof problem;
  } catch {
    return [...faults, 'body is not JSON'];
  }
  if (typeof problem.type !== 'string' || problem.status !== status) faults.push('not a problem document');
  // `instance` is the request's own path, echoed by design: a fuzzed segment such as `-pg_23eX`
  // found there is the fuzzer's input, not a leak. Everything else the gateway wrote is searched.
  // The strings themselves are searched, not their JSON form, where a quote reads \".
  const { instance: _requestPath, ...written } = problem;
  const leak = internals.find((pattern) => stringsIn(written).some((value) => pattern.test(value)));
  if (leak) faults.push(`reveals internals (${leak})`);
  return faults;
}
