import { parse, toSeconds } from 'iso8601-duration';
import { registerDecorator, ValidationOptions } from 'class-validator';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * A policy duration in ms from an ISO 8601 duration (`PT15M`, `PT2H`, `P3D`,
 * `P1W`, `P1DT12H`). Years and months are refused: their length depends on
 * the calendar, and a deadline must mean the same on every case. Undefined if
 * the text is not such a duration or is not longer than zero.
 */
export function durationMs(iso: string): number | undefined {
  if (typeof iso !== 'string') return undefined;
  let d;
  try {
    d = parse(iso.trim().toUpperCase());
  } catch {
    return undefined;
  }
  if (d.years || d.months) return undefined;
  const ms = Math.round(toSeconds(d) * 1000);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Validates an ISO 8601 policy duration (see durationMs). */
export function IsPolicyDuration(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPolicyDuration',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `${String(propertyName)} must be an ISO 8601 duration longer than zero, in weeks, days, hours, minutes or seconds (e.g. PT15M, PT48H, P30D)`, ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && durationMs(v) !== undefined },
    });
}

/** The policy fields with a duration, in ms. The ISO field wins over the older numeric one. */
export function supplierSlaMs(p: { sla?: string; slaHours?: number }): number {
  return (p.sla && durationMs(p.sla)) || (p.slaHours ?? 48) * HOUR;
}

/** Default for cases reported before the tenant policy had the setting. */
const DEFAULT_SILENT_DAYS = 5;
export function trackingSilenceMs(p: { lostAfterSilent?: string; lostAfterSilentDays?: number }): number {
  return (p.lostAfterSilent && durationMs(p.lostAfterSilent)) || (p.lostAfterSilentDays ?? DEFAULT_SILENT_DAYS) * DAY;
}

/** How long a customer has to send an item back once told where (it was fixed at 30 days). */
export const DEFAULT_PARCEL_DEADLINE = 'P30D';
export function parcelDeadlineMs(p: { parcelDeadline?: string }): number {
  return (p.parcelDeadline && durationMs(p.parcelDeadline)) || durationMs(DEFAULT_PARCEL_DEADLINE)!;
}

/** A duration for people: `15 min`, `2 h`, `30 days`, `1 day 12 h`. */
export function describeDuration(ms: number): string {
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.round((ms % HOUR) / 60_000);
  const parts = [days ? `${days} day${days === 1 ? '' : 's'}` : '', hours ? `${hours} h` : '', minutes ? `${minutes} min` : ''].filter(Boolean);
  return parts.join(' ') || `${Math.round(ms / 1000)} s`;
}
