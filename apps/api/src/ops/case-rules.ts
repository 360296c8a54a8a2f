import type { OpsActionKind } from '@app/contracts';
import { decide, definitionFor, interpret, SagaData, sagaDefinitions } from '@app/sagas';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** How long a state may last when its saga definition does not say (stuck detection). */
export const DEFAULT_EXPECTED_MS = 72 * HOUR;
/** A reported return whose saga has not started after this long is stuck (the orchestrator never picked it up). */
export const PENDING_EXPECTED_MS = 5 * MINUTE;
/** A saga deadline still pending this long after it was due has not fired: something is wrong. */
export const OVERDUE_GRACE_MS = 5 * MINUTE;

/** `{ "DAMAGED:REFUNDING": 900000, ... }` from every definition's expectedMs, for the stuck query. */
export function expectedMsTable(): Record<string, number> {
  const table: Record<string, number> = {};
  for (const def of Object.values(sagaDefinitions)) {
    for (const [state, ms] of Object.entries(def?.expectedMs ?? {})) if (typeof ms === 'number') table[`${def!.eventType}:${state}`] = ms;
  }
  return table;
}

export function expectedMsFor(eventType: string, state: string): number {
  return (definitionFor(eventType)?.expectedMs as Record<string, number> | undefined)?.[state] ?? DEFAULT_EXPECTED_MS;
}

/** Why a case counts as stuck, or undefined. Pure: the list query computes the same in SQL. */
export function stuckReason(c: { state: string; closed: boolean; started: boolean; stateSince: Date; expectedMs: number; overdueTimer?: string | null; overdueSince?: Date | null }, now: Date): string | undefined {
  if (c.closed) return undefined;
  if (!c.started) return now.getTime() - c.stateSince.getTime() > PENDING_EXPECTED_MS ? `saga not started ${minutes(now.getTime() - c.stateSince.getTime())} after intake` : undefined;
  if (c.overdueTimer && c.overdueSince) return `deadline ${c.overdueTimer} overdue since ${c.overdueSince.toISOString()}`;
  const inState = now.getTime() - c.stateSince.getTime();
  return inState > c.expectedMs ? `in ${c.state} for ${minutes(inState)} (expected at most ${minutes(c.expectedMs)})` : undefined;
}

function minutes(ms: number): string {
  if (ms >= 2 * 86_400_000) return `${Math.round(ms / 86_400_000)} d`;
  if (ms >= 2 * HOUR) return `${Math.round(ms / HOUR)} h`;
  return `${Math.max(1, Math.round(ms / MINUTE))} min`;
}

/** Ops actions that go to the orchestrator as saga events. */
export const SAGA_ACTIONS = ['RETRY', 'CANCEL', 'RESOLVE'] as const satisfies readonly OpsActionKind[];
export type SagaAction = (typeof SAGA_ACTIONS)[number];

/**
 * Would the orchestrator act on this ops action now? Runs the same pure
 * interpret + decide the saga runner does, on the current snapshot; the
 * orchestrator stays the authority (a race only makes its answer "ignored").
 */
export function sagaActionApplies(eventType: string, state: string, data: SagaData, action: SagaAction, now: Date, sagaId: string): boolean {
  const def = definitionFor(eventType);
  if (!def) return false;
  const fact = interpret(data, 'OpsActionRequested', { sagaId, action, actor: 'preview', reason: 'preview' }, now);
  return decide(def, state, fact.data, fact.event, { sagaId, now }).kind === 'transition';
}
