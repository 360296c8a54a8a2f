import { DomainError, ErrorCode } from '@app/platform';

/**
 * Opaque keyset cursors: the sort key of the last row seen, base64url JSON.
 * Timestamps travel as Postgres text so no microseconds are lost.
 */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, size: number): string[] | undefined {
  if (!cursor) return undefined;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(parts) && parts.length === size && parts.every((p) => typeof p === 'string')) return parts;
  } catch {
    // fall through
  }
  throw new DomainError(ErrorCode.Invalid, 'cursor: not a cursor returned by this API', { fields: ['cursor'] });
}
