// The gateway, as any client sees it: fetch with a bearer token. The token is sent, never printed.
import { problemMessage } from './format.mjs';

/** The gateway answered with an error (a problem+json body) or could not be reached: exit code 1. */
export class GatewayError extends Error {
  constructor(message, { status, problem } = {}) {
    super(message);
    this.name = 'GatewayError';
    this.status = status;
    this.problem = problem;
  }
}

/** Removes the token from any text that might leave the process. */
export function redact(message, token) {
  return token ? String(message).split(token).join('<token>') : String(message);
}

export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function createClient({ url, token, fetchImpl = globalThis.fetch }) {
  async function send(method, path, { body, accept = 'application/json' } = {}) {
    let response;
    try {
      response = await fetchImpl(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = error?.cause?.code ?? error?.cause?.message ?? error?.message ?? 'unknown error';
      throw new GatewayError(redact(`cannot reach the gateway at ${url} (${cause}); is it running? set --url or HOMEWARD_URL`, token));
    }
    if (!response.ok) {
      const textBody = await response.text().catch(() => '');
      let problem;
      try {
        problem = JSON.parse(textBody);
      } catch {
        problem = textBody;
      }
      throw new GatewayError(redact(`${method} ${path}: ${problemMessage(response.status, problem)}`, token), {
        status: response.status,
        problem,
      });
    }
    return response;
  }

  return {
    url,
    async json(method, path, options) {
      const response = await send(method, path, options);
      const textBody = await response.text();
      if (!textBody) return {};
      try {
        return JSON.parse(textBody);
      } catch {
        throw new GatewayError(`${method} ${path}: the gateway did not answer with JSON`, { status: response.status });
      }
    },
    /** The raw response, for streaming bodies (NDJSON export). */
    stream(method, path, options) {
      return send(method, path, options);
    },
  };
}
