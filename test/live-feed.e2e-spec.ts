import { INestApplication } from '@nestjs/common';
import { LiveFeed } from '../apps/api/src/ops/live-feed';
import { auth, createTenant, linkSupplier, registerOrder } from './support/scenario';
import { startSecondApi } from './support/second-api';
import { SseClient } from './support/sse';
import { startSystem, System, waitFor } from './support/system';

const RETURNS = 12;

/** Issue 16 item 1: two api processes on one host; each one's console stream must see every case. */
describe('Live feed with two api instances on one host', () => {
  let sys: System;
  let second: { app: INestApplication; url: string };
  beforeAll(async () => {
    sys = await startSystem();
    second = await startSecondApi(sys);
  }, 120_000);
  afterAll(async () => {
    await second?.app.close().catch(() => undefined);
    await sys?.stop();
  });

  it('each instance has a consumer group of its own', () => {
    const a = sys.apps.api!.get(LiveFeed).group;
    const b = second.app.get(LiveFeed).group;
    expect(a).not.toEqual(b);
    expect(a).toMatch(new RegExp(`^ops-live\\..+\\.${process.pid}\\.[0-9a-f]{8}$`));
  });

  it(`the first api's stream sees all ${RETURNS} cases while a second api runs beside it (and so does the second's)`, async () => {
    const t = await createTenant(sys);
    const s = await linkSupplier(sys, t);
    const first = await SseClient.open(`${sys.apiUrl}/ops/stream`, t.opsApiKey);
    const other = await SseClient.open(`${second.url}/ops/stream`, t.opsApiKey);
    try {
      await waitFor(() => first.events.find((e) => e.event === 'hello') && other.events.find((e) => e.event === 'hello'));
      const returnIds: string[] = [];
      for (let i = 0; i < RETURNS; i++) {
        const order = await registerOrder(sys, t, [s], { deliveredDaysAgo: 2 });
        const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/b.jpg'] }, auth(t.apiKey));
        expect(res.status).toBe(202);
        returnIds.push(res.data.returnId);
      }
      const seen = (c: SseClient) => new Set(c.events.filter((e) => e.event === 'case' && e.data.to === 'AWAITING_SUPPLIER').map((e) => e.data.returnId as string));
      const all = (c: SseClient) => returnIds.every((id) => seen(c).has(id));
      await waitFor(() => all(first) && all(other), { timeoutMs: 40_000, message: `every case on both streams (first saw ${seen(first).size}, second ${seen(other).size} of ${RETURNS})` })
        .catch((err) => {
          throw new Error(`${err.message}; first saw ${[...seen(first)].filter((x) => returnIds.includes(x)).length}, second ${[...seen(other)].filter((x) => returnIds.includes(x)).length} of ${RETURNS}`);
        });
      expect(returnIds.filter((id) => !seen(first).has(id))).toEqual([]);
      expect(returnIds.filter((id) => !seen(other).has(id))).toEqual([]);
    } finally {
      first.close();
      other.close();
    }
  }, 90_000);
});
