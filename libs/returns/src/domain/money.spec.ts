import fc from 'fast-check';
import { currencyExponent, formatMoney, fromDecimalString, percentOf, toDecimalString } from './money';

/** A mix of 0-, 2-, 3- and 4-digit currencies. */
const CURRENCIES = ['EUR', 'DKK', 'USD', 'GBP', 'JPY', 'KRW', 'ISK', 'CLP', 'XOF', 'BHD', 'KWD', 'TND', 'IQD', 'CLF', 'HUF', 'SEK'];
const currency = fc.constantFrom(...CURRENCIES);
const minor = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

describe('money', () => {
  it('knows the ISO 4217 minor-unit digits', () => {
    expect([currencyExponent('EUR'), currencyExponent('jpy'), currencyExponent('KWD'), currencyExponent('CLF'), currencyExponent('DKK')]).toEqual([2, 0, 3, 4, 2]);
  });

  it('has no exponent for what is not a currency: no guess of 2 that could move money tenfold', () => {
    for (const c of ['ZZZ', 'XXX', 'XAU', '123', '€€€']) expect(() => currencyExponent(c)).toThrow(RangeError);
    expect(() => toDecimalString(100, 'ZZZ')).toThrow(RangeError);
  });

  it('writes exact decimals', () => {
    expect(toDecimalString(1250, 'EUR')).toBe('12.50');
    expect(toDecimalString(5, 'EUR')).toBe('0.05');
    expect(toDecimalString(-5, 'EUR')).toBe('-0.05');
    expect(toDecimalString(1000, 'JPY')).toBe('1000');
    expect(toDecimalString(1, 'KWD')).toBe('0.001');
    expect(toDecimalString(Number.MAX_SAFE_INTEGER, 'EUR')).toBe('90071992547409.91');
    expect(() => toDecimalString(1.5, 'EUR')).toThrow(RangeError);
  });

  it('reads decimals, including Shopify’s trimmed form and trailing zeros past the currency digits', () => {
    expect(fromDecimalString('12.5', 'EUR')).toBe(1250);
    expect(fromDecimalString('12', 'EUR')).toBe(1200);
    expect(fromDecimalString(' 0.05 ', 'EUR')).toBe(5);
    expect(fromDecimalString('1000.0', 'JPY')).toBe(1000);
    expect(fromDecimalString('39.980', 'EUR')).toBe(3998);
    expect(fromDecimalString('-0.00', 'EUR')).toBe(0);
    expect(Object.is(fromDecimalString('-0.00', 'EUR'), -0)).toBe(false);
  });

  it('refuses what is not an amount in that currency', () => {
    for (const [v, c] of [['12.345', 'EUR'], ['1.5', 'JPY'], ['1e3', 'EUR'], ['12,50', 'EUR'], ['', 'EUR'], ['.5', 'EUR'], ['1.', 'EUR'], ['0x10', 'EUR'], ['99999999999999999', 'EUR']])
      expect(() => fromDecimalString(v, c)).toThrow(RangeError);
  });

  it('property: toDecimalString / fromDecimalString round-trip for any amount and currency', () => {
    fc.assert(
      fc.property(minor, currency, (amount, cur) => {
        const text = toDecimalString(amount, cur);
        expect(fromDecimalString(text, cur)).toBe(amount);
        const exp = currencyExponent(cur);
        // exactly the currency's digits after the point, none for 0-digit currencies
        expect(text.includes('.') ? text.split('.')[1].length : 0).toBe(exp);
      }),
      { numRuns: 5000 },
    );
  });

  it('property: decimals written with fewer digits (as Shopify does) read back to the same amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), currency, (amount, cur) => {
        const trimmed = toDecimalString(amount, cur).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0');
        expect(fromDecimalString(trimmed, cur)).toBe(amount);
      }),
      { numRuns: 5000 },
    );
  });

  it('formats for e-mails in the customer’s locale', () => {
    expect(formatMoney(4493, 'EUR', 'en')).toBe('€44.93');
    expect(formatMoney(4493, 'EUR', 'nl')).toMatch(/^€\s?44,93$/);
    expect(formatMoney(29900, 'DKK', 'da')).toMatch(/^299,00\s?kr\.$/);
    expect(formatMoney(1000, 'JPY', 'en')).toBe('JP¥1,000');
  });

  it('formats each currency with its own ISO digits: JPY 0, EUR 2, KWD 3', () => {
    expect(formatMoney(1500, 'JPY', 'en')).toBe('JP¥1,500');
    expect(formatMoney(1500, 'JPY', 'nl')).toMatch(/^JP¥\s?1\.500$/);
    expect(formatMoney(1500, 'EUR', 'en')).toBe('€15.00');
    expect(formatMoney(1500, 'KWD', 'en')).toBe('KWD\u00a01.500');
    expect(formatMoney(1, 'KWD', 'da')).toMatch(/^0,001\s?KWD$/);
    // ISO says 3 digits where CLDR (Intl's default) says 0
    expect(formatMoney(1500, 'IQD', 'en')).toBe('IQD\u00a01.500');
  });

  it('never throws on a bad currency: shows the raw amount and code', () => {
    expect(formatMoney(1500, '123', 'en')).toBe('1500 123 (minor units)');
    expect(formatMoney(1500, 'XXX', 'en')).toBe('1500 XXX (minor units)');
    expect(formatMoney(1500, '€€€', 'nl')).toBe('1500 €€€ (minor units)');
  });

  it('percentOf rounds half up to a whole minor unit', () => {
    expect(percentOf(1999, 10)).toBe(200);
    expect(percentOf(1995, 10)).toBe(200);
    expect(percentOf(1994, 10)).toBe(199);
    expect(percentOf(0, 50)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), fc.integer({ min: 0, max: 100 }), (a, p) => {
        const r = percentOf(a, p);
        expect(Number.isSafeInteger(r)).toBe(true);
        expect(r).toBeLessThanOrEqual(a);
        expect(Math.abs(r * 100 - a * p)).toBeLessThanOrEqual(50);
      }),
      { numRuns: 2000 },
    );
  });
});
