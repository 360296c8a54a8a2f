import 'reflect-metadata';
import { validateSync } from 'class-validator';
import { describeDuration, durationMs, parcelDeadlineMs, supplierSlaMs, trackingSilenceMs } from './durations';
import { SupplierPolicy, TenantPolicy } from './messages/policies';

describe('policy durations (ISO 8601)', () => {
  it('reads weeks, days, hours, minutes and seconds', () => {
    expect(durationMs('PT15M')).toBe(15 * 60_000);
    expect(durationMs('PT48H')).toBe(48 * 3_600_000);
    expect(durationMs('P30D')).toBe(30 * 86_400_000);
    expect(durationMs('P1W')).toBe(7 * 86_400_000);
    expect(durationMs('P1DT12H')).toBe(36 * 3_600_000);
    expect(durationMs('pt90s')).toBe(90_000);
  });

  it('refuses what is not one, zero, and calendar units (months, years)', () => {
    for (const bad of ['15m', 'P', 'PT', 'PT0M', 'P1M', 'P1Y', '', '30']) expect([bad, durationMs(bad)]).toEqual([bad, undefined]);
  });

  it('the ISO field wins over the numeric one; without it the numeric one (or the old default) holds', () => {
    expect(supplierSlaMs({ slaHours: 48, sla: 'PT15M' })).toBe(15 * 60_000);
    expect(supplierSlaMs({ slaHours: 2 })).toBe(2 * 3_600_000);
    expect(trackingSilenceMs({ lostAfterSilentDays: 5, lostAfterSilent: 'PT30M' })).toBe(30 * 60_000);
    expect(trackingSilenceMs({ lostAfterSilentDays: 2 })).toBe(2 * 86_400_000);
    expect(trackingSilenceMs({})).toBe(5 * 86_400_000);
    expect(parcelDeadlineMs({})).toBe(30 * 86_400_000);
    expect(parcelDeadlineMs({ parcelDeadline: 'PT2H' })).toBe(2 * 3_600_000);
  });

  it('policies validate the format', () => {
    const ok = Object.assign(new SupplierPolicy(), { sla: 'PT15M' });
    expect(validateSync(ok)).toEqual([]);
    const bad = Object.assign(new TenantPolicy(), { parcelDeadline: 'P1M', lostAfterSilent: '10 minutes' });
    expect(validateSync(bad).map((e) => e.property).sort()).toEqual(['lostAfterSilent', 'parcelDeadline']);
  });

  it('describes a duration for people', () => {
    expect(describeDuration(30 * 86_400_000)).toBe('30 days');
    expect(describeDuration(15 * 60_000)).toBe('15 min');
    expect(describeDuration(36 * 3_600_000)).toBe('1 day 12 h');
  });
});
