// Money for the console: integer minor units and an ISO 4217 code, shown with that currency's own
// digits (JPY 0, EUR 2, KWD 3). The digits come from the api (/console/currencies.json), from the same
// ISO list it validates with; CLDR's (Intl's defaults) differ for some currencies.

/** "1500" JPY (0 digits) → "1500"; 1500 KWD (3) → "1.500"; exact, no floating point. */
export function toDecimal(minor, digits) {
  const n = BigInt(minor);
  const sign = n < 0n ? '-' : '';
  const s = (n < 0n ? -n : n).toString().padStart(digits + 1, '0');
  return digits ? `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}` : `${sign}${s}`;
}

/**
 * "¥1,500", "€15.00", "KWD 1.500". Never throws: one bad row (an unknown currency, an amount that is
 * not an integer) must not break the page, so it then shows what is stored, e.g. "700 123".
 */
export function fmtMoney(minor, currency, digitsByCurrency, locale) {
  if (minor === null || minor === undefined) return '—';
  try {
    const digits = digitsByCurrency[currency];
    if (typeof digits !== 'number' || !Number.isSafeInteger(Number(minor))) throw new RangeError(`cannot format ${minor} ${currency}`);
    const nf = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    // Intl formats a decimal string exactly (no binary rounding).
    return nf.format(toDecimal(Number(minor), digits));
  } catch {
    return `${minor} ${currency ?? ''}`.trim();
  }
}

/** The amount in major units as a number, for charts only (never for sums shown as text). */
export function toMajor(minor, currency, digitsByCurrency) {
  const digits = digitsByCurrency[currency];
  return typeof digits === 'number' ? Number(minor) / 10 ** digits : Number(minor);
}
