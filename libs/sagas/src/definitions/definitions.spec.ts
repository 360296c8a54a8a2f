import { readFileSync } from 'fs';
import { join } from 'path';
import { EventTypes } from '@app/contracts';
import { validateDefinition, type SagaDefinition } from '../domain/engine';
import { TIMER_EVENTS } from '../domain/interpret';
import { composeGuards } from './claim-steps';
import { definitionFor, sagaDefinitions } from './index';
import { renderSagasDoc } from './sagas-doc';
import { caseOf, SagaSim } from './spec-harness';

const all = EventTypes.map((t) => [t, sagaDefinitions[t]] as const);

describe('saga definitions', () => {
  it('has one definition per return event, named after it', () => {
    for (const [type, def] of all) {
      expect(def).toBeDefined();
      expect(def!.eventType).toBe(type);
      expect(definitionFor(type)).toBe(def);
    }
  });

  it.each(all)('%s is well formed: known states, guards and actions; every state reachable', (_type, def) => {
    expect(validateDefinition(def!)).toEqual([]);
  });

  it.each(all)('%s keeps the shared ops rows: resolve and cancel from every open state, feedback after closing', (_type, def) => {
    const d = def as SagaDefinition;
    const open = d.states.filter((s) => !d.terminal.includes(s));
    const from = (on: string) => new Set(d.transitions.filter((t) => t.on === on).flatMap((t) => (typeof t.from === 'string' ? [t.from] : t.from)));
    expect([...from('OpsResolve')].sort()).toEqual([...open].sort());
    expect([...from('OpsCancel')].sort()).toEqual([...open].sort());
    expect([...from('FeedbackDue')].sort()).toEqual(['COMPLETED', 'RESOLVED']);
  });

  it.each(all)('%s: ops cancel from the first waiting state closes the case and stops its timers', (type, def) => {
    const sim = new SagaSim(def!, caseOf(type, { deliveredDaysAgo: type === 'LOST' || type === 'LATE_DELIVERY' ? undefined : 2, promisedDaysAgo: 3 }));
    sim.start();
    expect(sim.timers.size).toBeGreaterThan(0);
    sim.ops('CANCEL');
    expect(sim.state).toBe('CANCELLED');
    expect(sim.timers.size).toBe(0);
  });

  it('raises only timers that have an event', () => {
    const names = new Set(Object.keys(TIMER_EVENTS));
    for (const [type, def] of all) {
      const sim = new SagaSim(def!, caseOf(type, { deliveredDaysAgo: 2, promisedDaysAgo: 3 }));
      sim.start();
      for (const t of sim.of('timer.set')) expect(t.timer.startsWith('SUPPLIER_SLA:') || names.has(t.timer)).toBe(true);
    }
  });

  it('combined guards are built from their named parts, and unknown parts stay unknown', () => {
    const g = composeGuards({ a: () => true, b: () => false }, [
      { from: 'X', on: 'E', to: 'Y', when: 'a & !b' },
      { from: 'X', on: 'E', to: 'Y', when: 'a & b' },
      { from: 'X', on: 'E', to: 'Y', when: 'a & nope' },
    ]);
    const data = new SagaSim(sagaDefinitions.DAMAGED!, caseOf('DAMAGED')).data;
    const ev = { name: 'E', at: new Date() };
    expect(g['a & !b'](data, ev)).toBe(true);
    expect(g['a & b'](data, ev)).toBe(false);
    expect(g['a & nope']).toBeUndefined();
  });

  it('docs/sagas.md is generated from the current tables (run scripts/gen-sagas-doc.ts)', () => {
    const onDisk = readFileSync(join(__dirname, '../../../../docs/sagas.md'), 'utf8');
    expect(onDisk).toBe(renderSagasDoc());
  });

  it('docs/sagas.md draws every transition of every type', () => {
    const doc = renderSagasDoc();
    for (const [type, def] of all) {
      expect(doc).toContain(`## ${type} (v${def!.version})`);
      for (const t of def!.transitions) {
        const from = typeof t.from === 'string' ? t.from : t.from[0];
        expect(doc).toContain(`${from} --> ${t.to}: ${t.when ? `${t.on} [${t.when}]` : t.on}`);
      }
    }
  });
});
