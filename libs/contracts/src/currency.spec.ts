import { CurrencyCodes, isCurrencyCode, minorUnitDigits } from './currency';
import { isTimestamp } from './validation';

describe('ISO 4217 currencies', () => {
  it('takes real currencies, upper case', () => {
    for (const c of ['EUR', 'USD', 'JPY', 'KWD', 'DKK', 'XOF', 'XCD', 'ISK']) expect(isCurrencyCode(c)).toBe(true);
    expect(CurrencyCodes.length).toBeGreaterThan(150);
  });

  it('refuses what is not a means of payment: no currency, testing, metals, units of account, funds, made-up codes', () => {
    for (const c of ['XXX', 'XTS', 'XAU', 'XAG', 'XDR', 'XBA', 'XSU', 'XUA', 'CHE', 'BOV', 'USN', '123', '€€€', 'ZZZ', 'eur', 'EURO', '', undefined, 978])
      expect(isCurrencyCode(c)).toBe(false);
  });

  it('knows each currency’s minor-unit digits from the ISO list', () => {
    expect(['JPY', 'EUR', 'KWD', 'CLF', 'IQD', 'KRW', 'BHD'].map(minorUnitDigits)).toEqual([0, 2, 3, 4, 3, 0, 3]);
    expect(minorUnitDigits('XXX')).toBeUndefined();
    expect(minorUnitDigits('123')).toBeUndefined();
  });
});

describe('isTimestamp', () => {
  it('takes RFC 3339 date-times and dates of real days', () => {
    for (const s of ['2026-03-01T10:00:00Z', '2024-02-29T00:00:00Z', '2026-03-01T10:00:00.123456+01:00', '2026-03-01T10:00Z', '2026-03-01']) expect(isTimestamp(s)).toBe(true);
  });
  it('refuses impossible days, week and ordinal dates, year 0, and non-strings', () => {
    for (const s of ['2026-02-30T00:00:00Z', '2025-02-29', '2026-13-01', '2026-W01-1', '2026-123', '0000-01-01', '2026-03-01T25:00:00Z', '2026-03-01 10:00:00Z', '', 20260301, null])
      expect(isTimestamp(s)).toBe(false);
  });
});
