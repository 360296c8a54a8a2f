import type { SagaData, Effect } from './saga-data';

/** An event as the saga sees it (after the orchestrator translated a message or a timer). */
export interface SagaEvent {
  name: string;
  /** Facts carried by the event (supplier id, amounts, ...). */
  detail?: Record<string, unknown>;
  at: Date;
}

export interface SagaContext {
  sagaId: string;
  now: Date;
}

export type Guard = (data: SagaData, event: SagaEvent) => boolean;
/** Actions may update the draft data and return effects. */
export type Action = (draft: SagaData, event: SagaEvent, ctx: SagaContext) => Effect[];

export interface Transition<S extends string> {
  from: S | readonly S[];
  on: string;
  to: S;
  /** Named guard; the first matching transition wins, so guarded rows go before the fallback. */
  when?: string;
  do?: readonly string[];
}

/** A saga type as data: states, the transition table, and the named guards and actions it uses. */
export interface SagaDefinition<S extends string = string> {
  eventType: string;
  version: number;
  initial: S;
  states: readonly S[];
  /** States that close the saga (no further progress expected). */
  terminal: readonly S[];
  transitions: readonly Transition<S>[];
  guards: Record<string, Guard>;
  actions: Record<string, Action>;
  /** How long a state may last before ops should look (stuck detection), in ms. */
  expectedMs?: Partial<Record<S, number>>;
}

export type Decision =
  | { kind: 'transition'; from: string; to: string; data: SagaData; effects: Effect[]; description: string }
  | { kind: 'ignored'; reason: string };

/** Applies an event: picks the transition from the table, runs its actions on a copy of the data. Pure. */
export function decide(def: SagaDefinition, state: string, data: SagaData, event: SagaEvent, ctx: SagaContext): Decision {
  const match = def.transitions.find((t) => {
    const froms: readonly string[] = typeof t.from === 'string' ? [t.from] : t.from;
    if (!froms.includes(state) || t.on !== event.name) return false;
    if (!t.when) return true;
    const guard = def.guards[t.when];
    if (!guard) throw new Error(`${def.eventType}: unknown guard ${t.when}`);
    return guard(data, event);
  });
  if (!match) return { kind: 'ignored', reason: `${event.name} has no transition from ${state}` };
  const draft: SagaData = structuredClone(data);
  const effects: Effect[] = [];
  for (const name of match.do ?? []) {
    const action = def.actions[name];
    if (!action) throw new Error(`${def.eventType}: unknown action ${name}`);
    effects.push(...action(draft, event, ctx));
  }
  return { kind: 'transition', from: state, to: match.to, data: draft, effects, description: match.when ? `${event.name} [${match.when}]` : event.name };
}

/**
 * Decides an event, then each event its actions raised (`raise` effects: an
 * outcome known at once, such as a refund of nothing), in order, from the state
 * reached. The raise effects themselves are consumed here. Pure.
 */
export function decideAll(def: SagaDefinition, state: string, data: SagaData, event: SagaEvent, ctx: SagaContext): Decision[] {
  const out: Decision[] = [];
  const queue: SagaEvent[] = [event];
  let at = { state, data };
  while (queue.length) {
    if (out.length >= 10) throw new Error(`${def.eventType}: raised events do not settle (from ${state} on ${event.name})`);
    const d = decide(def, at.state, at.data, queue.shift()!, ctx);
    if (d.kind === 'transition') {
      for (const e of d.effects) if (e.kind === 'raise') queue.push({ name: e.event, detail: e.detail, at: event.at });
      d.effects = d.effects.filter((e) => e.kind !== 'raise');
      at = { state: d.to, data: d.data };
    }
    out.push(d);
  }
  return out;
}

/** Checks a definition is well formed: every state known, every guard and action defined, terminal states reachable. */
export function validateDefinition(def: SagaDefinition): string[] {
  const problems: string[] = [];
  const states = new Set<string>(def.states);
  if (!states.has(def.initial)) problems.push(`initial state ${def.initial} not in states`);
  for (const t of def.transitions) {
    const froms: readonly string[] = typeof t.from === 'string' ? [t.from] : t.from;
    for (const f of froms) if (!states.has(f)) problems.push(`unknown from-state ${f}`);
    if (!states.has(t.to)) problems.push(`unknown to-state ${t.to}`);
    if (t.when && !def.guards[t.when]) problems.push(`unknown guard ${t.when}`);
    for (const a of t.do ?? []) if (!def.actions[a]) problems.push(`unknown action ${a}`);
  }
  const reachable = new Set<string>([def.initial]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of def.transitions) {
      const froms: readonly string[] = typeof t.from === 'string' ? [t.from] : t.from;
      if (froms.some((f) => reachable.has(f)) && !reachable.has(t.to)) {
        reachable.add(t.to);
        changed = true;
      }
    }
  }
  for (const s of def.states) if (!reachable.has(s)) problems.push(`state ${s} is unreachable`);
  return problems;
}

/** Mermaid stateDiagram-v2 of a definition: docs/sagas.md is generated from this. */
export function toMermaid(def: SagaDefinition): string {
  const lines = ['stateDiagram-v2', `    [*] --> ${def.initial}`];
  for (const t of def.transitions) {
    const froms: readonly string[] = typeof t.from === 'string' ? [t.from] : t.from;
    const label = t.when ? `${t.on} [${t.when}]` : t.on;
    for (const f of froms) lines.push(`    ${f} --> ${t.to}: ${label}`);
  }
  for (const s of def.terminal) lines.push(`    ${s} --> [*]`);
  return lines.join('\n');
}
