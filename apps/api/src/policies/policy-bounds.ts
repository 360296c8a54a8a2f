import { Inject, Injectable } from '@nestjs/common';
import { describeDuration, durationMs, parcelDeadlineMs, SupplierPolicy, supplierSlaMs, TenantPolicy, trackingSilenceMs } from '@app/contracts';
import { DomainError, ErrorCode, PLATFORM_CONFIG } from '@app/platform';
import { ApiConfig } from '../config';

const DAY = 86_400_000;

export interface DurationBounds {
  minSupplierSlaMs: number;
  minTrackingSilenceMs: number;
  minParcelDeadlineMs: number;
}

/**
 * Shortest policy durations: in production an SLA of at least an hour and a
 * day for tracking silence and the parcel deadline (minutes would only be a
 * typo there); anywhere else a minute, so a policy can be tried in staging.
 * Each can be set (POLICY_MIN_SUPPLIER_SLA, …, ISO 8601 durations).
 */
export function durationBounds(config: Pick<ApiConfig, 'POLICY_MIN_SUPPLIER_SLA' | 'POLICY_MIN_TRACKING_SILENCE' | 'POLICY_MIN_PARCEL_DEADLINE'>, nodeEnv = process.env.NODE_ENV): DurationBounds {
  const production = nodeEnv === 'production';
  const pick = (set: string | undefined, prod: string) => durationMs(set ?? (production ? prod : 'PT1M'))!;
  return {
    minSupplierSlaMs: pick(config.POLICY_MIN_SUPPLIER_SLA, 'PT1H'),
    minTrackingSilenceMs: pick(config.POLICY_MIN_TRACKING_SILENCE, 'P1D'),
    minParcelDeadlineMs: pick(config.POLICY_MIN_PARCEL_DEADLINE, 'P1D'),
  };
}

/** Longest ones, as the numeric fields allow. */
const MAX = { sla: 60 * DAY, silence: 60 * DAY, parcel: 365 * DAY };

/** The policy's duration fields outside the bounds, each with why. Pure. */
export function durationViolations(p: { tenant?: TenantPolicy; supplier?: SupplierPolicy }, b: DurationBounds): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const check = (field: string, ms: number, min: number, max: number) => {
    if (ms < min) out.push({ field, message: `${field} must be at least ${describeDuration(min)} here (is ${describeDuration(ms)})` });
    else if (ms > max) out.push({ field, message: `${field} must be at most ${describeDuration(max)} (is ${describeDuration(ms)})` });
  };
  if (p.supplier) check(p.supplier.sla ? 'sla' : 'slaHours', supplierSlaMs(p.supplier), b.minSupplierSlaMs, MAX.sla);
  if (p.tenant) {
    check(p.tenant.lostAfterSilent ? 'lostAfterSilent' : 'lostAfterSilentDays', trackingSilenceMs(p.tenant), b.minTrackingSilenceMs, MAX.silence);
    check('parcelDeadline', parcelDeadlineMs(p.tenant), b.minParcelDeadlineMs, MAX.parcel);
  }
  return out;
}

/** Refuses (400 naming the fields) a policy whose durations are outside this deployment's bounds. */
@Injectable()
export class PolicyBounds {
  readonly bounds: DurationBounds;

  constructor(@Inject(PLATFORM_CONFIG) config: ApiConfig) {
    this.bounds = durationBounds(config);
  }

  assert(p: { tenant?: TenantPolicy; supplier?: SupplierPolicy }): void {
    const v = durationViolations(p, this.bounds);
    if (v.length) throw new DomainError(ErrorCode.Invalid, v.map((x) => x.message).join('; '), { fields: v.map((x) => x.field) });
  }
}
