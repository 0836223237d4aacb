// The formats requests are checked against: the patterns and limits are the contract's
// (@homeward/vocabulary), which the contexts check again; here they become decorators.
import { batchIdMaxLength, batchIdPattern, countryPattern, datePattern, dateTimePattern } from '@homeward/vocabulary';
import { IsISO31661Alpha2, IsISO8601, Matches, MaxLength, type ValidationOptions } from 'class-validator';

export { countryPattern, datePattern, dateTimePattern };

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
  both(
    Matches(datePattern, { message: '$property must be a date, YYYY-MM-DD' }),
    IsISO8601({ strict: true }, { message: '$property must be a valid date' }),
  );

/** A release batch id, as intake accepts it; with `batchIdSchema` in the property's OpenAPI. */
export const IsBatchId = (): PropertyDecorator =>
  both(
    Matches(batchIdPattern, { message: '$property may hold only letters, digits, dot, underscore and hyphen' }),
    MaxLength(batchIdMaxLength),
  );
export const batchIdSchema = { maxLength: batchIdMaxLength, pattern: batchIdPattern.source };

/** Query strings arrive as text: digits become a number, anything else stays and fails IsInt. */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
