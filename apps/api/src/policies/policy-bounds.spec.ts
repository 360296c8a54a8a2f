import 'reflect-metadata';
import { SupplierPolicy, TenantPolicy } from '@app/contracts';
import { durationBounds, durationViolations } from './policy-bounds';

const supplier = (p: Partial<SupplierPolicy>) => Object.assign(new SupplierPolicy(), p);
const tenant = (p: Partial<TenantPolicy>) => Object.assign(new TenantPolicy(), p);

describe('policy duration bounds', () => {
  it('production: SLA at least 1 h, tracking silence and parcel deadline at least a day', () => {
    const b = durationBounds({}, 'production');
    expect(durationViolations({ supplier: supplier({ sla: 'PT15M' }) }, b)).toEqual([{ field: 'sla', message: 'sla must be at least 1 h here (is 15 min)' }]);
    expect(durationViolations({ supplier: supplier({ sla: 'PT1H' }) }, b)).toEqual([]);
    expect(durationViolations({ supplier: supplier({ slaHours: 1 }) }, b)).toEqual([]);
    expect(durationViolations({ tenant: tenant({ lostAfterSilent: 'PT30M', parcelDeadline: 'PT2H' }) }, b).map((v) => v.field)).toEqual(['lostAfterSilent', 'parcelDeadline']);
    expect(durationViolations({ tenant: tenant({}) }, b)).toEqual([]); // 5 days, 30 days
  });

  it('elsewhere (staging, tests): minutes are fine, down to one', () => {
    const b = durationBounds({}, 'staging');
    expect(durationViolations({ supplier: supplier({ sla: 'PT15M' }), tenant: tenant({ lostAfterSilent: 'PT5M', parcelDeadline: 'PT10M' }) }, b)).toEqual([]);
    expect(durationViolations({ supplier: supplier({ sla: 'PT30S' }) }, b).map((v) => v.field)).toEqual(['sla']);
  });

  it('each bound can be set, and there is a ceiling', () => {
    const b = durationBounds({ POLICY_MIN_SUPPLIER_SLA: 'PT10M' }, 'production');
    expect(durationViolations({ supplier: supplier({ sla: 'PT10M' }) }, b)).toEqual([]);
    expect(durationViolations({ tenant: tenant({ parcelDeadline: 'P400D' }) }, b)[0]).toMatchObject({ field: 'parcelDeadline', message: expect.stringMatching(/at most 365 days/) });
  });
});
