/** Injection tokens: explicit, because swc's decorator metadata cannot name interfaces. */
export const LOGGER = Symbol('Logger');
