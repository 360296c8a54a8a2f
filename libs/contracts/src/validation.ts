import { IsInt, isISO8601, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { CurrencyCodes, isCurrencyCode } from './currency';

/**
 * Field rules shared by HTTP bodies and message payloads. They exist so that
 * whatever a caller sends is refused with a 400 naming the field, never
 * passed on to Postgres (which would fail with a 500) or rounded.
 */

/** Longest text of each kind we take in (characters). */
export const MaxLen = {
  /** Ids from other systems (Shopify gids, SKUs, tracking numbers), Idempotency-Keys. */
  id: 255,
  /** Names, titles, short labels. */
  name: 200,
  /** Free text: reasons, notes, addresses. */
  text: 1000,
  /** URLs. */
  url: 2048,
  /** RFC 5321: an address is at most 254 characters. */
  email: 254,
  /** Secrets and tokens handed to us (store access tokens). */
  secret: 512,
} as const;

const all = (...decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

/** Largest amount in minor units: exact in a JS number (2^53−1) and within Postgres bigint. */
export const MAX_MINOR = Number.MAX_SAFE_INTEGER;
/** Largest count that fits a Postgres `int` column. */
export const MAX_INT4 = 2_147_483_647;

/** An amount in integer minor units, 0 … 2^53−1: larger ones would be rounded by JSON.parse, so they are refused. */
export const IsMinorAmount = (options?: ValidationOptions) => all(IsInt(options), Min(0, options), Max(MAX_MINOR, options));

/** A count stored in an `int` column (quantities): 1 … 2^31−1. */
export const IsCount = (options?: ValidationOptions) => all(IsInt(options), Min(1, options), Max(MAX_INT4, options));

// RFC 3339 date-time or a plain date; the calendar itself is checked by validator's strict mode (no 30 February).
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** True for an ISO 8601 timestamp that is a real instant (no 2026-02-30, no week dates) from year 1 to 9999. */
export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP.test(value) && isISO8601(value, { strict: true, strictSeparator: true }) && !Number.isNaN(Date.parse(value)) && !value.startsWith('0000');
}

/** An ISO 8601 timestamp (`2026-03-01T10:00:00Z`, or a date `2026-03-01`) of a day that exists. */
export const IsTimestamp = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isTimestamp', validator: { validate: isTimestamp, defaultMessage: () => '$property must be an ISO 8601 date-time of a real calendar day, e.g. 2026-03-01T10:00:00Z' } }, options);

/** An ISO 4217 currency code of a real currency, upper case (EUR, JPY, KWD), not XXX, XTS or 123. */
export const IsCurrencyCode = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isCurrencyCode', constraints: [CurrencyCodes], validator: { validate: isCurrencyCode, defaultMessage: () => '$property must be an ISO 4217 currency code in upper case, e.g. EUR, JPY or KWD' } }, options);

/** `@Transform(upperCase)`: takes `eur` as `EUR` before the ISO 4217 check. */
export const upperCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value);

/**
 * `@Transform(toNumber)` for numbers that may come as query-string text. Only
 * text is converted: class-transformer's `@Type(() => Number)` calls Number()
 * on anything, and a JSON object such as `{ "toString": null }` makes that throw (a 500).
 */
export const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);
