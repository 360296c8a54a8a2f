import { readFileSync } from 'fs';
import { join } from 'path';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RequestSupplierAction, STRICT } from '@app/contracts';
import { reminderPayload, withdrawnPayload, requestPayload, RETRY_DELAYS_MS, verifyStandardWebhook, WebhookEventTypes } from '@app/suppliers';
import { SupplierAnswerDto } from './supplier-answers';

/** docs/suppliers.md is what suppliers build against: its examples are checked against the code. */
const guide = readFileSync(join(__dirname, '../../../../docs/suppliers.md'), 'utf8');

function blocks(marker: string): { label: string; text: string }[] {
  const re = new RegExp(`<!-- ${marker}(?::\\s*([^ ]+))? -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``, 'g');
  return [...guide.matchAll(re)].map((m) => ({ label: m[1] ?? '', text: m[2] }));
}

/** The shape of a JSON value: keys and value types, recursively (arrays by their first element). */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, shape(x)]));
  return v === null ? 'null' : typeof v;
}

/** An empty array in an example says nothing about its elements: take them from the expected shape. */
function emptyArraysFrom(actual: unknown, expected: unknown): unknown {
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.length ? actual.map((a) => emptyArraysFrom(a, expected[0])) : expected;
  if (actual && typeof actual === 'object' && expected && typeof expected === 'object') {
    return Object.fromEntries(Object.entries(actual).map(([k, v]) => [k, emptyArraysFrom(v, (expected as Record<string, unknown>)[k])]));
  }
  return actual;
}

const sampleCommand = (kind: RequestSupplierAction['kind']): RequestSupplierAction => Object.assign(new RequestSupplierAction(), {
  sagaId: '6a1f0c1e-7f0e-5d8e-9b1a-2f3c4d5e6f70', requestId: '3f0c2b8e-5a8d-5c2b-9f1e-7d6c5b4a3e21', supplierId: '9b2e4f61-0c7d-4e58-a1b3-5d6e7f809a1b', kind,
  eventType: 'DAMAGED', externalOrderId: 'gid://shopify/Order/1', amountMinor: 3998, currency: 'EUR', evidenceUrls: ['https://e.example/1.jpg'], reason: 'broken',
  answerBy: '2025-06-03T10:15:00.000Z',
  lines: [{ lineId: '6a1f0c1e-7f0e-5d8e-9b1a-2f3c4d5e6f71', externalLineId: 'gid://shopify/LineItem/1', sku: 'S', title: 'T', quantity: 2, unitPriceMinor: 1999 }],
});

describe('docs/suppliers.md', () => {
  it('has an example of every webhook type, each shaped exactly like what we send', () => {
    const examples = blocks('webhook-example');
    expect(examples.map((e) => e.label).sort()).toEqual(Object.values(WebhookEventTypes).sort());
    const now = new Date('2025-06-01T10:15:00.000Z');
    for (const e of examples) {
      const doc = JSON.parse(e.text);
      expect(doc.type).toBe(e.label);
      const kind = (Object.keys(WebhookEventTypes) as (keyof typeof WebhookEventTypes)[]).find((k) => WebhookEventTypes[k] === e.label)!;
      const real = kind === 'REMINDER'
        ? reminderPayload({ sagaId: 'x', requestId: 'y', supplierId: 'z' }, 'https://a.example/answer', now)
        : kind === 'WITHDRAWN'
          ? withdrawnPayload({ sagaId: 'x', requestId: 'y', supplierId: 'z', reason: 'r' }, now)
          : requestPayload(sampleCommand(kind), 'https://a.example/answer', now);
      const expected = shape(real) as { data: { reason: unknown } };
      const actual = shape(doc) as { data: { reason: unknown } };
      if (actual.data.reason === 'null') actual.data.reason = 'string'; // nullable
      expect(emptyArraysFrom(actual, expected)).toEqual(expected);
    }
  });

  it('every answer example is accepted by the strict answer validation', () => {
    const examples = blocks('answer-example');
    expect(examples.length).toBeGreaterThanOrEqual(5);
    const decisions = new Set<string>();
    for (const e of examples) {
      const body = JSON.parse(e.text);
      decisions.add(body.decision);
      expect(validateSync(plainToInstance(SupplierAnswerDto, body), STRICT)).toEqual([]);
    }
    expect([...decisions].sort()).toEqual(['APPROVED', 'NEEDS_EVIDENCE', 'PARTIALLY_APPROVED', 'REJECTED', 'REPLACEMENT_SHIPPED']);
  });

  it('the worked signature example verifies', () => {
    const [e] = blocks('signature-example');
    const f = Object.fromEntries(e.text.trim().split('\n').map((l) => { const i = l.indexOf(':'); return [l.slice(0, i).trim(), l.slice(i + 1).trim()]; }));
    const at = new Date(Number(f['webhook-timestamp']) * 1000);
    const r = verifyStandardWebhook({ 'webhook-id': f['webhook-id'], 'webhook-timestamp': f['webhook-timestamp'], 'webhook-signature': f['webhook-signature'] }, f.body, [f.secret], at);
    expect(r.ok).toBe(true);
  });

  it('the pull API example has the shape the pull API returns', () => {
    const [e] = blocks('pull-example');
    const page = JSON.parse(e.text);
    expect(Object.keys(page).sort()).toEqual(['items', 'nextCursor']);
    expect(Object.keys(page.items[0]).sort()).toEqual(['answeredAt', 'createdAt', 'data', 'requestId', 'status', 'type']);
    expect(shape(page.items[0].data)).toEqual((shape(requestPayload(sampleCommand('CREDIT'), '/x', new Date())) as { data: unknown }).data);
  });

  it('documents the retry schedule the code uses', () => {
    const unit: Record<string, number> = { second: 1_000, seconds: 1_000, minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000 };
    const rows = [...guide.matchAll(/^\| (\d) \| (immediately|(\d+) (seconds?|minutes?|hours?)) \|$/gm)];
    expect(rows.map((r) => Number(r[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows.map((r) => (r[2] === 'immediately' ? 0 : Number(r[3]) * unit[r[4]]))).toEqual(RETRY_DELAYS_MS);
  });
});
