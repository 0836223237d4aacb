// The transparency log for an auditor: the log's verifier key, and an offline bundle of a person's,
// a stream's or all leaves that homeward-verify (tools/verify) checks with no network. The bundle's
// format is fixed by tools/verify/README.md.
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { GatewayError, queryString } from './client.mjs';
import { says, shown } from './format.mjs';

/** Leaves per request: the gateway's largest page. */
export const LEAVES_PAGE = 1000;

async function text(io, path) {
  const response = await io.client.stream('GET', path, { accept: 'text/plain' });
  return response.text();
}

export async function auditKey(io, command) {
  const key = (await text(io, '/v1/audit/key')).trimEnd();
  if (command.options.json) io.stdout.write(`${JSON.stringify({ verifierKey: key }, null, 2)}\n`);
  else io.stdout.write(`${shown(key)}\n`);
  return 0;
}

/** A positive tree size, written in decimal, that a number holds exactly. */
export const isTreeSize = (text) => /^[1-9][0-9]{0,15}$/.test(text ?? '') && Number.isSafeInteger(Number(text));

/** The tree size of a signed checkpoint note: the second line of its body. */
export function checkpointSize(note, file) {
  const size = note.split('\n')[1];
  if (!isTreeSize(size)) {
    throw new GatewayError(`${file}: not a checkpoint of a non-empty log (its second line must be the tree size)`);
  }
  return Number(size);
}

/** A directory that does not exist yet, or is empty; anything else would mix two bundles. */
function checkOutput(output) {
  let entries;
  try {
    entries = readdirSync(output);
  } catch (error) {
    if (error.code === 'ENOENT') return false;
    throw new GatewayError(`cannot use ${output} as the bundle directory (${error.code ?? error.message})`);
  }
  if (entries.length > 0) throw new GatewayError(`${output} is not empty; give a new directory for the bundle`);
  return true;
}

/** A file written line by line, waiting whenever the disk is behind; a failed write fails the next call. */
function lineWriter(path) {
  const stream = createWriteStream(path);
  let failure;
  stream.on('error', (error) => {
    failure ??= error;
  });
  return {
    async write(line) {
      if (failure) throw failure;
      if (!stream.write(line)) await once(stream, 'drain');
    },
    async close() {
      if (failure) throw failure;
      stream.end();
      await once(stream, 'finish');
    },
    /** Gives up the file, once the stream has let go of it (it opens asynchronously). */
    async discard() {
      stream.destroy();
      if (!stream.closed) await once(stream, 'close');
    },
  };
}

const readme = (
  treeSize,
  selection,
) => `A Homeward transparency bundle: the leaves of ${selection} in the audit log at tree size ${treeSize}.

checkpoint          the log's signed checkpoint (C2SP signed note over a tlog-checkpoint body:
                    origin, tree size, base64 root hash), then the witnesses' cosignatures
leaves.ndjson       one leaf per line; the bytes of a line, without its newline, are exactly the
                    leaf's bytes (the UTF-8 RFC 8785 canonical JSON of an event or an access entry)
proofs.ndjson       line by line beside leaves.ndjson: {"index":…,"treeSize":…,"path":[base64…]},
                    the leaf's RFC 9162 inclusion proof in the checkpoint's tree
manifest            a note signed by the log: homeward-bundle/v1, origin, tree size, selection,
                    leaf count and the SHA-256 of the leaf hashes, so that no leaf can be left out
consistency.ndjson  one line per older checkpoint given with --since:
                    {"checkpoint":"<older signed note>","treeSize":…,"path":[base64…]}, the RFC 9162
                    consistency proof that this checkpoint extends it (empty without --since)

Check it offline with tools/verify/homeward-verify.mjs (plain Node, no dependency):

  homeward-verify <this dir> --key <log verifier key> [--witness <witness verifier key>]... [--since <older checkpoint file>]...

The log's verifier key is printed by \`homeward audit key\` (GET /v1/audit/key); take it, and each
witness's key, from a channel you trust, not from this bundle. tools/verify/README.md says what each
failure means.
`;

/** How many of the newest checkpoints --cosigned looks through for one a witness cosigned. */
export const COSIGNED_SEARCH = 500;

/**
 * The checkpoint the bundle is proven against: the one asked for; with --cosigned the newest a
 * witness has cosigned (so that homeward-verify --witness holds); else one signed now.
 */
async function bundleTreeSize(io, options) {
  if (options['tree-size'] !== undefined) return Number(options['tree-size']);
  if (options.cosigned) {
    let cursor;
    let seen = 0;
    do {
      const page = await io.client.json('GET', `/v1/audit/checkpoints${queryString({ limit: 100, cursor })}`);
      const cosigned = (page.items ?? []).find((checkpoint) => checkpoint.cosigners?.length > 0 && checkpoint.treeSize > 0);
      if (cosigned) return cosigned.treeSize;
      seen += page.items?.length ?? 0;
      cursor = page.nextCursor || undefined;
    } while (cursor && seen < COSIGNED_SEARCH);
    throw new GatewayError(`no witness has cosigned any of the ${seen} newest checkpoints: is a witness running (see README, Audit)?`);
  }
  const treeSize = (await io.client.json('POST', '/v1/audit/checkpoints')).treeSize;
  if (!Number.isSafeInteger(treeSize) || treeSize < 1) throw new GatewayError('the audit log is empty: there is nothing to bundle yet');
  return treeSize;
}

/**
 * Writes the bundle into a fresh directory beside `output` and moves it into place at the end, so
 * that a bundle cut off half-way is never found where a whole one is expected.
 */
export async function auditBundle(io, command) {
  const { person, stream, output, since = [], json } = command.options;
  const selectionQuery = person !== undefined ? { personId: person } : stream !== undefined ? { streamId: stream } : { all: 'true' };
  const selection = person !== undefined ? `person ${person}` : stream !== undefined ? `stream ${stream}` : 'all';
  const existed = checkOutput(output);
  const older = since.map((file) => {
    let note;
    try {
      note = readFileSync(file, 'utf8');
    } catch (error) {
      throw new GatewayError(`--since ${file}: cannot read it (${error.code ?? error.message})`);
    }
    return { file, note, size: checkpointSize(note, `--since ${file}`) };
  });

  const treeSize = await bundleTreeSize(io, command.options);
  const newer = older.find((entry) => entry.size > treeSize);
  if (newer) throw new GatewayError(`--since ${newer.file}: its tree size ${newer.size} is larger than the bundle's ${treeSize}`);
  const note = await text(io, `/v1/audit/checkpoints/${treeSize}`);

  mkdirSync(dirname(resolve(output)), { recursive: true });
  const work = mkdtempSync(join(dirname(resolve(output)), '.homeward-bundle-'));
  const leaves = lineWriter(join(work, 'leaves.ndjson'));
  const proofs = lineWriter(join(work, 'proofs.ndjson'));
  const consistency = lineWriter(join(work, 'consistency.ndjson'));
  try {
    let count = 0;
    let previous = -1;
    let cursor;
    let lastReport = io.now();
    do {
      const page = await io.client.json(
        'GET',
        `/v1/audit/leaves${queryString({ ...selectionQuery, treeSize, limit: LEAVES_PAGE, cursor })}`,
      );
      if (page.treeSize !== treeSize) throw new GatewayError(`the gateway answered leaves at tree size ${page.treeSize}, not ${treeSize}`);
      for (const { index, leaf, path } of page.items ?? []) {
        // The file's line bytes must be the leaf's bytes: one line of well-formed text, encoded as is.
        if (typeof leaf !== 'string' || leaf.includes('\n') || !leaf.isWellFormed())
          throw new GatewayError(`leaf ${index} cannot be written as one line of UTF-8 text`);
        if (!Number.isSafeInteger(index) || index <= previous || index >= treeSize)
          throw new GatewayError(`leaf ${index} is out of order or outside the tree of ${treeSize}`);
        await leaves.write(`${leaf}\n`);
        await proofs.write(`${JSON.stringify({ index, treeSize, path })}\n`);
        previous = index;
        count += 1;
      }
      cursor = page.nextCursor || undefined;
      if (cursor && io.now() - lastReport >= 5000) {
        io.stderr.write(`bundled ${count} leaves so far\n`);
        lastReport = io.now();
      }
    } while (cursor);
    await leaves.close();
    await proofs.close();

    const manifest = await io.client.json('GET', `/v1/audit/leaves/manifest${queryString({ ...selectionQuery, treeSize })}`);
    if (manifest.treeSize !== treeSize || manifest.leaves !== count) {
      throw new GatewayError(
        `the signed manifest counts ${manifest.leaves} leaves at tree size ${manifest.treeSize}, ` +
          `the gateway listed ${count} at ${treeSize}`,
      );
    }
    writeFileSync(join(work, 'manifest'), manifest.note);
    writeFileSync(join(work, 'checkpoint'), note);

    for (const { note: olderNote, size } of older) {
      const proof = await io.client.json('GET', `/v1/audit/proofs/consistency${queryString({ from: size, to: treeSize })}`);
      await consistency.write(`${JSON.stringify({ checkpoint: olderNote, treeSize, path: proof.path })}\n`);
    }
    await consistency.close();
    writeFileSync(join(work, 'README'), readme(treeSize, selection));

    if (existed) rmdirSync(output);
    renameSync(work, output);
    const consistent = older.length ? `, consistent with ${older.length} older checkpoints` : '';
    io.stderr.write(says`bundle: ${count} leaves of ${selection} at tree size ${treeSize}${consistent} in ${output}\n`);
    if (json) {
      const summary = { dir: resolve(output), selection, treeSize, leaves: count, since: older.map((entry) => entry.size) };
      io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      io.stdout.write(`${shown(resolve(output))}\n`);
    }
    return 0;
  } catch (error) {
    await Promise.all([leaves.discard(), proofs.discard(), consistency.discard()]);
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}
