import { definitionFor, initialData, SagaData } from '@app/sagas';
import { DEFAULT_EXPECTED_MS, expectedMsFor, expectedMsTable, PENDING_EXPECTED_MS, sagaActionApplies, stuckReason } from './case-rules';

const MIN = 60_000;
const now = new Date('2026-01-10T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('stuck rule', () => {
  const base = { state: 'REFUNDING', closed: false, started: true, expectedMs: 15 * MIN };

  it('a case is stuck past its state\'s expected time, not before', () => {
    expect(stuckReason({ ...base, stateSince: ago(14 * MIN) }, now)).toBeUndefined();
    expect(stuckReason({ ...base, stateSince: ago(16 * MIN) }, now)).toBe('in REFUNDING for 16 min (expected at most 15 min)');
    expect(stuckReason({ ...base, stateSince: ago(5 * 86_400_000), expectedMs: 3 * 86_400_000 }, now)).toBe('in REFUNDING for 5 d (expected at most 3 d)');
  });

  it('an overdue deadline makes a case stuck whatever its time in state', () => {
    expect(stuckReason({ ...base, stateSince: ago(MIN), overdueTimer: 'SUPPLIER_SLA:s1', overdueSince: ago(10 * MIN) }, now)).toBe(`deadline SUPPLIER_SLA:s1 overdue since ${ago(10 * MIN).toISOString()}`);
  });

  it('closed cases are never stuck; a saga that never started is, after a few minutes', () => {
    expect(stuckReason({ ...base, closed: true, stateSince: ago(99 * 86_400_000) }, now)).toBeUndefined();
    expect(stuckReason({ ...base, started: false, stateSince: ago(PENDING_EXPECTED_MS - 1) }, now)).toBeUndefined();
    expect(stuckReason({ ...base, started: false, stateSince: ago(PENDING_EXPECTED_MS + MIN) }, now)).toBe('saga not started 6 min after intake');
  });

  it('expected times come from the saga definitions, with a default', () => {
    const damaged = definitionFor('DAMAGED')!;
    expect(expectedMsFor('DAMAGED', 'REFUNDING')).toBe(damaged.expectedMs!['REFUNDING']);
    expect(expectedMsFor('DAMAGED', 'ESCALATED')).toBe((damaged.expectedMs as Record<string, number>).ESCALATED ?? DEFAULT_EXPECTED_MS);
    expect(expectedMsFor('NO_SUCH_TYPE', 'X')).toBe(DEFAULT_EXPECTED_MS);
    expect(expectedMsTable()['DAMAGED:REFUNDING']).toBe(damaged.expectedMs!['REFUNDING']);
  });
});

describe('which ops actions apply (same decision as the orchestrator)', () => {
  const sagaId = '00000000-0000-4000-8000-000000000001';
  const data = (patch: Partial<SagaData> = {}): SagaData => ({
    ...initialData(sagaId, {
      eventType: 'DAMAGED', resolution: 'REFUND', claims: [], currency: 'EUR', shopCurrency: 'EUR', evidenceUrls: [],
      tenantPolicy: { refundTiming: 'IMMEDIATE' },
    } as unknown as SagaData['case']),
    ...patch,
  });

  it('retry applies to an escalated case whose refund failed, not to one waiting on a supplier', () => {
    const failed = data({ refunds: { CUSTOMER_REFUND: { refundId: 'r', amountMinor: 100, status: 'FAILED', reason: 'x' } } });
    expect(sagaActionApplies('DAMAGED', 'ESCALATED', failed, 'RETRY', now, sagaId)).toBe(true);
    expect(sagaActionApplies('DAMAGED', 'ESCALATED', data(), 'RETRY', now, sagaId)).toBe(false);
    expect(sagaActionApplies('DAMAGED', 'AWAITING_SUPPLIER', failed, 'RETRY', now, sagaId)).toBe(false);
  });

  it('cancel and resolve apply to open cases only', () => {
    for (const a of ['CANCEL', 'RESOLVE'] as const) {
      expect(sagaActionApplies('DAMAGED', 'AWAITING_SUPPLIER', data(), a, now, sagaId)).toBe(true);
      expect(sagaActionApplies('DAMAGED', 'COMPLETED', data(), a, now, sagaId)).toBe(false);
      expect(sagaActionApplies('DAMAGED', 'CANCELLED', data(), a, now, sagaId)).toBe(false);
    }
    expect(sagaActionApplies('NO_SUCH_TYPE', 'X', data(), 'CANCEL', now, sagaId)).toBe(false);
  });
});
