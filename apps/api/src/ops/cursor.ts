import { isUUID } from 'class-validator';
import { isTimestamp } from '@app/contracts';
import { DomainError, ErrorCode } from '@app/platform';

/**
 * Opaque keyset cursors: the sort key of the last row seen, base64url JSON.
 * Timestamps travel as Postgres text so no microseconds are lost.
 */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** What each part of a cursor must be before it goes into SQL (a cast of anything else would fail there: a 500). */
export type CursorPart = 'timestamp' | 'uuid' | RegExp;

const PG_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d{1,6})?)([+-]\d\d)(?::?(\d\d))?$/;

/** A timestamptz as Postgres prints it (`2026-03-01 10:00:00.123456+00`) of a real calendar day. */
export function isPgTimestamp(s: unknown): s is string {
  const m = typeof s === 'string' ? PG_TIMESTAMP.exec(s) : null;
  return !!m && isTimestamp(`${m[1]}T${m[2]}${m[3]}:${m[4] ?? '00'}`);
}

function partOk(kind: CursorPart, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  if (kind === 'timestamp') return isPgTimestamp(value);
  if (kind === 'uuid') return isUUID(value);
  return kind.test(value);
}

export const badCursor = () => new DomainError(ErrorCode.Invalid, 'cursor: not a cursor returned by this API', { fields: ['cursor'] });

export function decodeCursor(cursor: string | undefined, kinds: CursorPart[]): string[] | undefined {
  if (!cursor) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    throw badCursor();
  }
  if (Array.isArray(parts) && parts.length === kinds.length && parts.every((p, i) => partOk(kinds[i], p))) return parts as string[];
  throw badCursor();
}
