import { Injectable } from '@nestjs/common';
import { stableId } from '@app/contracts';
import { Clock, DomainError, ErrorCode, requestFingerprint } from '@app/platform';
import { CaseQueries } from './case-queries';
import { BatchPreviewDto, BatchRunDto } from './ops-actions.dto';
import { OpsActions } from './ops-actions';
import { OpsCaller, requireOps } from './ops-auth';

/** At most this many cases per batch: bigger sweeps are split by narrower filters. */
export const BATCH_MAX = 500;

/**
 * The same saga action on every case a filter matches. Preview first (how
 * many match, how many the action applies to); the run must quote the
 * preview's count, and each case gets its own audited, idempotent action
 * (`<Idempotency-Key>:<returnId>`), so a repeated batch does nothing twice.
 */
@Injectable()
export class OpsBatch {
  constructor(private readonly cases: CaseQueries, private readonly actions: OpsActions, private readonly clock: Clock) {}

  async preview(caller: OpsCaller, dto: BatchPreviewDto) {
    requireOps(caller);
    const matched: string[] = [];
    for (let cursor: string | undefined; matched.length <= BATCH_MAX; ) {
      const page = await this.cases.list(caller.tenantId, { ...dto.filter, cursor, limit: 200 });
      matched.push(...page.items.map((c) => c.returnId));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    if (matched.length > BATCH_MAX)
      throw new DomainError(ErrorCode.Invalid, `filter: matches more than ${BATCH_MAX} cases; narrow it`, { fields: ['filter'], matched: `>${BATCH_MAX}` });
    const now = this.clock.now();
    const rows = await this.actions.casesOf(caller.tenantId, matched);
    const applicable = rows.filter((c) => this.actions.applies(c, dto.action, now));
    const byState: Record<string, number> = {};
    for (const c of applicable) byState[c.state!] = (byState[c.state!] ?? 0) + 1;
    const order = new Map(matched.map((id, i) => [id, i]));
    const ids = applicable.map((c) => c.return_id).sort((a, b) => order.get(a)! - order.get(b)!);
    return { action: dto.action, matched: matched.length, applicable: ids.length, byState, returnIds: ids };
  }

  async run(caller: OpsCaller, dto: BatchRunDto, idempotencyKey: string | undefined) {
    requireOps(caller);
    if (!idempotencyKey) throw new DomainError(ErrorCode.Invalid, 'Idempotency-Key: required for batch actions', { fields: ['Idempotency-Key'] });
    const batchId = stableId(caller.tenantId, 'ops-batch', idempotencyKey);
    const fingerprint = requestFingerprint({ batch: dto });
    const done = await this.actions.batchActions(caller.tenantId, batchId, fingerprint);
    const preview = await this.preview(caller, dto);
    // A repeated batch (same key) finishes what is left and repeats nothing; a new one must still match its preview.
    if (!done.length && preview.applicable !== dto.expectedCount)
      throw new DomainError(ErrorCode.Conflict, `the filter now selects ${preview.applicable} cases, not ${dto.expectedCount}: preview again`, { applicable: preview.applicable });
    const requested = new Set(done);
    const skipped: { returnId: string; reason: string }[] = [];
    for (const returnId of preview.returnIds) {
      try {
        await this.actions.request(caller, returnId, { action: dto.action, reason: dto.reason, outcome: dto.outcome, idempotencyKey: `${idempotencyKey}:${returnId}`, batchId, fingerprint });
        requested.add(returnId);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== ErrorCode.Conflict) throw err;
        skipped.push({ returnId, reason: err.message }); // moved on since the preview
      }
    }
    return { batchId, action: dto.action, requested: requested.size, skipped, replayed: done.length > 0 };
  }
}
