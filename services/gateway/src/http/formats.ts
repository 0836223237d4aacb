import { IsISO31661Alpha2, IsISO8601, Matches, type ValidationOptions } from 'class-validator';

/** RFC 3339 date-time with a time zone, e.g. 2024-06-21T08:30:00Z. */
export const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
export const datePattern = /^\d{4}-\d{2}-\d{2}$/;
export const countryPattern = /^[A-Z]{2}$/;

const both =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((decorate) => decorate(target, key));

/** An ISO 3166-1 alpha-2 code in upper case (each one, for an array). */
export const IsCountryCode = (options: ValidationOptions = {}): PropertyDecorator =>
  both(
    Matches(countryPattern, { ...options, message: '$property must hold ISO 3166-1 alpha-2 codes in upper case' }),
    IsISO31661Alpha2({ ...options, message: '$property must hold ISO 3166-1 alpha-2 country codes' }),
  );

/** A real calendar date-time with a time zone. */
export const IsDateTime = (): PropertyDecorator =>
  both(
    Matches(dateTimePattern, { message: '$property must be an RFC 3339 date-time with a time zone' }),
    IsISO8601({ strict: true }, { message: '$property must be a valid date-time' }),
  );

/** A real calendar date, YYYY-MM-DD. */
export const IsDate = (): PropertyDecorator =>
  both(Matches(datePattern, { message: '$property must be a date, YYYY-MM-DD' }), IsISO8601({ strict: true }, { message: '$property must be a valid date' }));

/** Query strings arrive as text: digits become a number, anything else stays and fails IsInt. */
export const toInteger = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value);
