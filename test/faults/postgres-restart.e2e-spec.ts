import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { randomUUID } from 'crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@app/contracts';
import { waitFor } from '@app/testing';
import { reportFigures, sleep } from './support/figures';
import { ProcSystem, startProcSystem } from './support/proc-system';
import { AutoSupplier, createTenant, linkSupplier, registerOrders, reportReturn } from './support/world';

const RETURNS = 120;
const INTAKE_MS = 30_000;
const RESTART_AT_MS = 10_000;

/** The local cluster (Debian layout), as scripts/ensure-postgres.sh finds it. */
const PG_VERSION = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b)).at(-1)! : '15';
const ctl = (action: 'restart' | 'start') => execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', PG_VERSION, 'main', action], { stdio: 'pipe', timeout: 60_000 });
const pgReady = () => {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']);
    return true;
  } catch {
    return false;
  }
};

/** Consumer groups and the topics each reads (KAFKA_GROUP_PREFIX=procs in the process harness). */
const GROUPS: Record<string, string[]> = {
  'procs.orchestrator': [Topics.ReturnsReported, Topics.ReturnsTracking, Topics.SupplierAnswers, Topics.SupplierEvents, Topics.RefundEvents, Topics.NotificationEvents, Topics.OpsCommands],
  'procs.suppliers': [Topics.SupplierCommands],
  'procs.refunds': [Topics.RefundCommands],
  'procs.notifications': [Topics.NotificationCommands],
  // Not the api's live feed (`ops-live.<host>`): it only fans saga events out to browsers, with no database effect and no inbox.
};

/**
 * Fault 4: the Postgres server restarts in the middle of a run (every
 * connection of every service is cut; for a few seconds none can be made).
 * Afterwards: no consumer offset is ahead of the database commit of its
 * message (every message below a committed offset is in that consumer's
 * inbox), nothing is lost, no effect happens twice.
 *
 * Restarts the shared local server: in CI it runs alone (jest --runInBand);
 * elsewhere run it on its own. The server is started again in `finally`.
 */
describe('fault: Postgres restarted mid-run', () => {
  let sys: ProcSystem;
  beforeAll(async () => {
    sys = await startProcSystem({ env: { TASK_LEASE_MS: '8000' } });
  }, 120_000);
  afterAll(async () => {
    if (!pgReady()) ctl('start');
    await sys?.stop();
  });

  it(`${RETURNS} returns, server restarted mid-run: no offset ahead of its commit, none lost, no effect twice`, async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const orders = await registerOrders(sys, tenant, supplier, RETURNS);
    const auto = new AutoSupplier(sys, () => supplier.callbackApiKey).start();
    const exitsBefore = sys.procs.reduce((n, p) => n + p.exits.length, 0);

    let downMs = 0;
    const restart = (async () => {
      await sleep(RESTART_AT_MS);
      const t = Date.now();
      try {
        ctl('restart'); // fast shutdown: every open connection is terminated
      } finally {
        if (!pgReady()) ctl('start');
      }
      await waitFor(pgReady, { timeoutMs: 60_000, intervalMs: 100, message: 'Postgres accepting connections again' });
      downMs = Date.now() - t;
    })();
    const returnIds = await Promise.all(orders.map(async (o, i) => {
      await sleep((i * INTAKE_MS) / RETURNS);
      return reportReturn(sys, tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/p.jpg'] }, randomUUID());
    }));
    await restart;

    const closed = async () => sys.sql<{ state: string }>(`SELECT state FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NOT NULL`, [returnIds]).catch(() => []);
    await waitFor(async () => (await closed()).length === RETURNS, { timeoutMs: 150_000, intervalMs: 500, message: 'every case closed after the restart' });
    await auto.stop();

    // No service died: each rode out the outage on its own (pools reconnect, consumers and pollers retry).
    expect(sys.procs.reduce((n, p) => n + p.exits.length, 0)).toBe(exitsBefore);

    // No offset ahead of its commit: every message below each group's committed offset is in that group's inbox.
    const kafka = new Kafka({ clientId: 'fault-test', brokers: sys.kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const committed = new Map<string, number>(); // group|topic|partition -> next offset
    for (const [group, topics] of Object.entries(GROUPS)) {
      for (const t of await admin.fetchOffsets({ groupId: group, topics })) {
        for (const p of t.partitions) committed.set(`${group}|${t.topic}|${p.partition}`, Number(p.offset));
      }
    }
    const allTopics = [...new Set(Object.values(GROUPS).flat())];
    const ends = new Map<string, number>();
    for (const topic of allTopics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}|${p.partition}`, Number(p.high));
    const dlq = (await admin.fetchTopicOffsets(Topics.DeadLetter)).reduce((n, p) => n + Number(p.high), 0);
    await admin.disconnect();

    const seen = new Map<string, { offset: number; id: string }[]>(); // topic|partition -> messages
    const reader = kafka.consumer({ groupId: `audit-${randomUUID()}`, sessionTimeout: 6000, maxWaitTimeInMs: 50 });
    await reader.connect();
    await reader.subscribe({ topics: allTopics, fromBeginning: true });
    let read = 0;
    const total = [...ends.values()].reduce((a, b) => a + b, 0);
    await reader.run({ eachMessage: async ({ topic, partition, message }) => {
      const list = seen.get(`${topic}|${partition}`) ?? [];
      list.push({ offset: Number(message.offset), id: JSON.parse(String(message.value)).id });
      seen.set(`${topic}|${partition}`, list);
      read++;
    } });
    await waitFor(() => read >= total, { timeoutMs: 60_000, message: `all ${total} messages read back` });
    await reader.disconnect();

    let checked = 0;
    const ahead: string[] = [];
    for (const [group, topics] of Object.entries(GROUPS)) {
      const inbox = new Set((await sys.sql<{ message_id: string }>(`SELECT message_id FROM inbox WHERE consumer = $1`, [group])).map((r) => r.message_id));
      for (const topic of topics) {
        for (const [key, msgs] of seen) {
          const [t, partition] = key.split('|');
          if (t !== topic) continue;
          const upTo = committed.get(`${group}|${topic}|${partition}`) ?? -1;
          for (const m of msgs.filter((x) => x.offset < upTo)) {
            checked++;
            if (!inbox.has(m.id)) ahead.push(`${group} ${topic}/${partition}@${m.offset}`);
          }
        }
      }
    }
    expect(dlq).toBe(0);
    expect(checked).toBeGreaterThan(RETURNS * 5);
    expect(ahead).toEqual([]);

    // 0 lost, 0 duplicate effects.
    const done = await closed();
    expect(done.every((c) => c.state === 'COMPLETED')).toBe(true);
    expect(sys.shop.refunds).toHaveLength(RETURNS);
    expect(new Set(sys.shop.refunds.map((r) => r.orderId)).size).toBe(RETURNS);
    expect(await sys.sql(`SELECT message_id FROM saga_transitions WHERE message_id IS NOT NULL GROUP BY message_id HAVING count(*) > 1`)).toEqual([]);
    const [{ n: answers }] = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM supplier_answers WHERE tenant_id = $1`, [tenant.tenantId]);
    expect(Number(answers)).toBe(RETURNS);

    const webhookIds = sys.supplier.requests.map((r) => r.headers['webhook-id']);
    const mails = sys.smtp.messages.map((m) => `${m.headers['x-return-id']}:${m.headers['x-template']}`);
    reportFigures('4. Postgres restarted mid-run', {
      returns: RETURNS,
      postgresUnavailableMs: downMs,
      serviceCrashes: sys.procs.reduce((n, p) => n + p.exits.length, 0) - exitsBefore,
      messagesCheckedBelowCommittedOffsets: checked,
      offsetsAheadOfCommit: ahead.length,
      lost: RETURNS - done.length,
      refundsAtStore: sys.shop.refunds.length,
      doubleRefunds: sys.shop.refunds.length - new Set(sys.shop.refunds.map((r) => r.orderId)).size,
      sagaStepsAppliedTwice: 0,
      deadLettered: dlq,
      webhooksRedelivered: webhookIds.length - new Set(webhookIds).size,
      emailsResent: mails.length - new Set(mails).size,
    });
  }, 360_000);
});
