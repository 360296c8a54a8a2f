import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { DomainError, ErrorCode } from '@app/platform';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;

/** `from` / `to` as calendar dates (UTC), both inclusive; either may be left out. */
export class ReportRangeQuery {
  @IsOptional() @Matches(DATE, { message: 'from must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @Matches(DATE, { message: 'to must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true }) to?: string;
}

export interface ReportRange {
  /** Inclusive. */
  start: Date;
  /** Exclusive: the day after `to`. */
  end: Date;
  from: string | null;
  to: string | null;
}

export function reportRange(q: ReportRangeQuery): ReportRange {
  const start = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(0);
  const end = q.to ? new Date(new Date(`${q.to}T00:00:00Z`).getTime() + DAY) : new Date(Date.UTC(9999, 0, 1));
  if (start >= end) throw new DomainError(ErrorCode.Invalid, 'from must not be after to', { fields: ['from', 'to'] });
  return { start, end, from: q.from ?? null, to: q.to ?? null };
}
