/** Money is an integer count of minor units plus an ISO 4217 currency. Never a float. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** ISO 4217 minor-unit digits that are not 2 (everything else has 2). */
const EXPONENT: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function currencyExponent(currency: string): number {
  return EXPONENT[currency.toUpperCase()] ?? 2;
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

export function formatMoney(amountMinor: number, currency: string, locale = 'en'): string {
  const tag = locale === 'nl' ? 'nl-NL' : locale === 'da' ? 'da-DK' : 'en-GB';
  // Intl formats from the exact decimal string, so no binary rounding creeps in.
  return new Intl.NumberFormat(tag, { style: 'currency', currency, minimumFractionDigits: currencyExponent(currency) }).format(
    toDecimalString(amountMinor, currency) as unknown as number,
  );
}

/** Percentage of an amount, rounded half up to a whole minor unit. */
export function percentOf(amountMinor: number, percent: number): number {
  assertMinor(amountMinor);
  return Math.floor((amountMinor * percent + 50) / 100);
}
