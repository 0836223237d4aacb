// The formats of ids, dates, countries and release batch ids: the gateway checks them on the way
// in, and the contexts check them again because a command may come from any gRPC caller. Both
// take them from here, so the edge and the domain never disagree.

/** A UUID of any version, either case: ids drawn (v7) and derived (v5) alike. */
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => uuidPattern.test(value);

/** RFC 3339 date-time with a time zone, e.g. 2024-06-21T08:30:00Z. */
export const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A calendar date, YYYY-MM-DD (the pattern alone lets 30 February through). */
export const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** ISO 3166-1 alpha-2, upper case. */
export const countryPattern = /^[A-Z]{2}$/;

/** A release batch id, chosen by whoever announces the batch: letters, digits, . _ -, at most 64. */
export const batchIdPattern = /^[A-Za-z0-9._-]+$/;
export const batchIdMaxLength = 64;
export const batchIdRule = `1 to ${batchIdMaxLength} letters, digits, dots, underscores or hyphens`;
export const isBatchId = (value: string): boolean => value.length <= batchIdMaxLength && batchIdPattern.test(value);
