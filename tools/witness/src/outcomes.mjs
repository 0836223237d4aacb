// How a witness round or command ends: an exit code, and the three ways a round fails.

/** Exit codes: 0 done, 1 failed (a network or log error, a file that cannot be read or written), 2 usage, 3 refused. */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3 };

/** The log presented a checkpoint the witness must not cosign: a person has to look. */
export class Refusal extends Error {}
/** This round failed (network, log error); the next round may succeed. */
export class RoundFailure extends Error {}
/** The witness cannot go on (its key or state file): exit 1, in the loop too. */
export class Fatal extends Error {}
