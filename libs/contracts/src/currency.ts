import { data as iso4217 } from 'currency-codes';
import { readFileSync } from 'fs';

/**
 * ISO 4217 from the `currency-codes` package: generated from the ISO
 * maintenance agency's list and republished with it, not a table kept by hand.
 * (Intl.supportedValuesOf('currency') is CLDR's list: it has no ISO minor-unit
 * digits, and CLDR's differ for IQD, HUF, COP and others.)
 *
 * Prices may only be in a means of payment. The ISO list marks what is not:
 * "N.A." minor units (XXX no currency, XTS testing, gold, silver, bond units,
 * SDR) and fund codes (CHE, BOV, CLF…). The package reads "N.A." as 0 digits,
 * so both markers are read from the ISO file the package ships.
 */
function isoMarkers(): { noMinorUnit: Set<string>; funds: Set<string> } {
  const xml = readFileSync(require.resolve('currency-codes/iso-4217-list-one.xml'), 'utf8');
  const noMinorUnit = new Set<string>();
  const funds = new Set<string>();
  for (const [entry] of xml.matchAll(/<CcyNtry>[\s\S]*?<\/CcyNtry>/g)) {
    const code = /<Ccy>([A-Z]{3})<\/Ccy>/.exec(entry)?.[1];
    if (!code) continue;
    if (/<CcyMnrUnts>N\.A\.<\/CcyMnrUnts>/.test(entry)) noMinorUnit.add(code);
    if (/IsFund="true"/i.test(entry)) funds.add(code);
  }
  return { noMinorUnit, funds };
}

const { noMinorUnit, funds } = isoMarkers();
// Funds keep their digits (CLF 4): an amount stored in one still formats right.
const DIGITS: ReadonlyMap<string, number> = new Map(iso4217.filter((c) => !noMinorUnit.has(c.code)).map((c) => [c.code, c.digits]));

/** Every ISO 4217 code a price may be in (EUR, JPY, KWD…), sorted. */
export const CurrencyCodes: readonly string[] = [...DIGITS.keys()].filter((code) => !funds.has(code)).sort();
const ACCEPTED = new Set(CurrencyCodes);

/** True for the ISO 4217 code of a currency, in upper case: EUR, not eur, XXX or 123. */
export function isCurrencyCode(code: unknown): code is string {
  return typeof code === 'string' && ACCEPTED.has(code);
}

/** ISO 4217 minor-unit digits: JPY 0, EUR 2, KWD 3, CLF 4; undefined for a code without a minor unit (XXX, XAU) or not in ISO 4217. */
export function minorUnitDigits(code: string): number | undefined {
  return DIGITS.get(code.toUpperCase());
}
