/**
 * Why a case's cost can't be recovered from its supplier, as SQL over a
 * `returns` row (`r`) and its saga (`s`): what intake found (outside the
 * supplier's window, evidence missing…) and what happened since (a supplier
 * rejected its claim), joined with '; '; NULL when recoverable. One
 * expression, so the ops case view and the ledger export say the same.
 */
export function notRecoverableSql(r = 'r', s = 's'): string {
  return `NULLIF(concat_ws('; ', ${r}.not_recoverable,
    (SELECT string_agg(x->>'notRecoverable', '; ') FROM jsonb_array_elements(COALESCE(${s}.data->'claims', '[]')) x WHERE x->>'notRecoverable' IS NOT NULL)), '')`;
}
