import * as http from 'http';
import * as path from 'path';
import axios from 'axios';
import { Pool } from 'pg';
import { createTestDatabase, FakeShopify, SmtpSink, SupplierReceiver, TestDatabase, waitFor } from '@app/testing';
import { DbosPeer, startDbosPeer } from '../bench/peers/dbos/launch';
import { AutoSupplier, createTenant, linkSupplier, registerOrders, reportReturn, World } from './faults/support/world';

/**
 * The bench's DBOS peer (bench/peers/dbos, ADR 010) completes one DAMAGED
 * return end to end against the same fakes the bench drives it with, so the
 * bar we measure ourselves against cannot rot unnoticed.
 */
describe('DBOS peer: one DAMAGED return end to end', () => {
  let db: TestDatabase;
  let shop: FakeShopify;
  let smtp: SmtpSink;
  let supplier: SupplierReceiver;
  let peer: DbosPeer;
  let pool: Pool;
  let world: World;
  const agent = new http.Agent({ keepAlive: true });

  beforeAll(async () => {
    [db, shop, smtp, supplier] = await Promise.all([createTestDatabase('dbos_peer_test'), new FakeShopify().start(), new SmtpSink().start(), new SupplierReceiver().start()]);
    peer = await startDbosPeer({ databaseUrl: db.url, smtpPort: smtp.port, logFile: path.join(__dirname, '..', 'test-artifacts', 'peers', `dbos-${db.name}.log`) });
    pool = new Pool({ connectionString: db.url, max: 2 });
    world = { http: axios.create({ baseURL: peer.url, validateStatus: () => true, httpAgent: agent }), shop, supplier };
  });

  afterAll(async () => {
    agent.destroy();
    await pool?.end();
    await peer?.stop();
    await Promise.all([shop?.stop(), smtp?.stop(), supplier?.stop()]);
    await db?.drop();
  });

  it('acknowledges, asks the supplier (signed), waits for its answer, refunds once with the return as key, tells the customer and closes', async () => {
    const tenant = await createTenant(world);
    const link = await linkSupplier(world, tenant);
    const [order] = await registerOrders(world, tenant, link, 1);
    const auto = new AutoSupplier(world, () => link.callbackApiKey).start();
    const body = { orderId: order.id, eventType: 'DAMAGED', reason: 'arrived broken', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/broken.jpg'] };

    const returnId = await reportReturn(world, tenant, body, '0b8e2f44-2a4d-4c3e-9d1f-6f3c2b1a0e11');
    // A retried intake with the same Idempotency-Key is the same return, not a second workflow.
    expect(await reportReturn(world, tenant, body, '0b8e2f44-2a4d-4c3e-9d1f-6f3c2b1a0e11')).toBe(returnId);

    const closed = await waitFor(async () => (await pool.query('SELECT status, refund_id, closed_at FROM returns WHERE id = $1 AND closed_at IS NOT NULL', [returnId])).rows[0], { timeoutMs: 30_000, message: 'the return did not close' });
    await auto.stop();
    expect(closed.status).toBe('COMPLETED');

    expect(supplier.requests).toHaveLength(1);
    const hook = supplier.requests[0];
    expect(hook.verified).toBe(true);
    expect(hook.json).toMatchObject({ type: 'rma.credit_requested', data: { requestId: returnId, supplierId: link.id, amount: { amountMinor: 2 * 1999 + 495, currency: 'EUR' } } });

    expect(shop.refunds).toHaveLength(1);
    expect(shop.refunds[0]).toMatchObject({ key: returnId, orderId: order.externalId, amountMinor: 2 * 1999 + 495, currency: 'EUR', shippingMinor: 495 });
    expect(closed.refund_id).toBe(shop.refunds[0].id);

    await waitFor(() => smtp.messages.length >= 2 || undefined, { timeoutMs: 10_000 });
    expect(smtp.messages.map((m) => m.subject)).toEqual(['We received your claim', 'Your refund is on its way']);
    expect(new Set(smtp.messages.flatMap((m) => m.to)).size).toBe(1);

    // The supplier answering again (a retried callback) is one message to the workflow: nothing more happens.
    const again = await world.http.post(`/supplier-api/requests/${returnId}/answer`, { decision: 'APPROVED', amountMinor: 4493, currency: 'EUR' }, { headers: { authorization: `Bearer ${link.callbackApiKey}` } });
    expect(again.status).toBe(200);
    const [{ n }] = (await pool.query(`SELECT count(*)::int AS n FROM dbos.notifications WHERE destination_uuid = $1`, [returnId])).rows;
    expect(n).toBe(1); // the one the workflow consumed; without the idempotency key the repeat would be a second row
    expect(shop.refunds).toHaveLength(1);
    // Durable: the workflow and each of its steps are checkpointed in DBOS's system tables.
    const steps = (await pool.query(`SELECT function_name FROM dbos.operation_outputs WHERE workflow_uuid = $1 ORDER BY function_id`, [returnId])).rows.map((r) => r.function_name);
    expect(steps).toEqual(expect.arrayContaining(['recordReturn', 'emailClaimReceived', 'requestSupplierCredit', 'refundCreate', 'emailRefundIssued', 'closeReturn']));
  });
});
