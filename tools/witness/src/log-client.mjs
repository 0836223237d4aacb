// The log as the witness sees it over HTTP: requests with the bearer token (never shown), problem+json
// answers as one line, and the consistency proof between two tree sizes.
import { decodeHashes } from '../../verify/homeward-verify.mjs';
import { RoundFailure } from './outcomes.mjs';

/** A request function for the log at `config.log`; network failures and problems are RoundFailures. */
export function logClient(config, io) {
  const redact = (text) => (config.token ? String(text).split(config.token).join('<token>') : String(text));
  return async function request(method, path, { accept = 'application/json', body } = {}) {
    const headers = { accept, ...(config.token ? { authorization: `Bearer ${config.token}` } : {}) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await io.fetch(`${config.log}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      throw new RoundFailure(
        redact(
          `${method} ${path}: cannot reach the log at ${config.log} (${error?.cause?.code ?? error?.cause?.message ?? error.message})`,
        ),
      );
    }
    const text = await response.text().catch(() => '');
    return {
      status: response.status,
      ok: response.ok,
      text,
      problem: () => redact(`${method} ${path}: ${problemText(response.status, text)}`),
    };
  };
}

/** A problem+json answer as `<status> <title>: <detail>`. */
function problemText(status, text) {
  try {
    const problem = JSON.parse(text);
    const parts = [problem?.title, problem?.detail].filter((part) => typeof part === 'string' && part);
    if (parts.length > 0) return `${status} ${parts.join(': ')}`;
  } catch {
    // not JSON: show the start of the text
  }
  return `${status} ${text.slice(0, 200) || 'the log answered with an error'}`;
}

/** The log's consistency proof from one tree size to another: its path, or null when not 32-byte base64 hashes. */
export async function consistencyPath(request, from, to) {
  const response = await request('GET', `/v1/audit/proofs/consistency?from=${from}&to=${to}`);
  if (!response.ok) throw new RoundFailure(response.problem());
  let proof;
  try {
    proof = JSON.parse(response.text);
  } catch {
    throw new RoundFailure(`GET /v1/audit/proofs/consistency: the log did not answer with JSON`);
  }
  if (proof?.from !== from || proof?.to !== to)
    throw new RoundFailure(`the log answered a consistency proof from ${proof?.from} to ${proof?.to}, not from ${from} to ${to}`);
  return decodeHashes(proof.path);
}
