import { minorUnitDigits } from '@app/contracts';

/** Money is an integer count of minor units plus an ISO 4217 currency. Never a float. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/**
 * ISO 4217 minor-unit digits (JPY 0, EUR 2, KWD 3), from the maintained ISO
 * list. A code outside it has no known exponent: guessing 2 could move money
 * by a factor of 10, so it throws.
 */
export function currencyExponent(currency: string): number {
  const digits = minorUnitDigits(currency);
  if (digits === undefined) throw new RangeError(`not an ISO 4217 currency with a minor unit: ${currency}`);
  return digits;
}

export function assertMinor(amount: number, what = 'amount'): void {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${what} must be an integer number of minor units, got ${amount}`);
}

/** "12.50" for 1250 EUR: how Shopify and e-mails want decimals. Exact, no floating point. */
export function toDecimalString(amountMinor: number, currency: string): string {
  assertMinor(amountMinor);
  const exp = currencyExponent(currency);
  if (exp === 0) return String(amountMinor);
  const sign = amountMinor < 0 ? '-' : '';
  const digits = String(Math.abs(amountMinor)).padStart(exp + 1, '0');
  return `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

/**
 * Parses "12.5" / "12.50" into minor units. Trailing zeros beyond the currency's
 * digits are fine (Shopify sends "1000.0" for JPY); significant extra digits are not.
 */
export function fromDecimalString(value: string, currency: string): number {
  const exp = currencyExponent(currency);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  const fraction = (m?.[3] ?? '').replace(/0+$/, '');
  if (!m || fraction.length > exp) throw new RangeError(`not a ${currency} amount: ${value}`);
  const minor = Number(m[2]) * 10 ** exp + Number(fraction.padEnd(exp, '0') || 0);
  assertMinor(minor, `${currency} amount ${value}`);
  return m[1] && minor !== 0 ? -minor : minor;
}

/**
 * "€44.93", "JP¥1,000", "KWD 1.500" in the customer's locale, with the
 * currency's own ISO digits. Never throws for a bad currency (e-mails and
 * the console must still render): it then shows the raw amount and code.
 */
export function formatMoney(amountMinor: number, currency: string, locale = 'en'): string {
  const tag = locale === 'nl' ? 'nl-NL' : locale === 'da' ? 'da-DK' : 'en-GB';
  const digits = minorUnitDigits(String(currency));
  if (digits === undefined || !Number.isSafeInteger(amountMinor)) return `${amountMinor} ${currency} (minor units)`;
  // Intl formats from the exact decimal string, so no binary rounding creeps in; both digit bounds are ISO's, not CLDR's.
  return new Intl.NumberFormat(tag, { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    toDecimalString(amountMinor, currency) as unknown as number,
  );
}

/** Percentage of an amount, rounded half up to a whole minor unit. */
export function percentOf(amountMinor: number, percent: number): number {
  assertMinor(amountMinor);
  return Math.floor((amountMinor * percent + 50) / 100);
}
