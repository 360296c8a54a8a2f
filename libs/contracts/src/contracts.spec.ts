import { randomUUID } from 'crypto';
import { buildEnvelope, decodeMessage, readTopicManifest, registeredTypes, topicOf, Topics } from './index';

const meta = { returnId: randomUUID(), tenantId: randomUUID(), producer: 'test' };
const validRemind = { sagaId: randomUUID(), requestId: randomUUID(), supplierId: randomUUID() };

describe('topic manifest', () => {
  it('lists exactly the topics the code knows, each with partitions', () => {
    const manifest = readTopicManifest();
    expect(manifest.map((t) => t.name).sort()).toEqual(Object.values(Topics).sort());
    for (const t of manifest) expect(t.partitions).toBeGreaterThan(0);
  });

  it('every registered message type lives on a manifest topic', () => {
    const names = new Set(readTopicManifest().map((t) => t.name));
    expect(registeredTypes().length).toBeGreaterThan(10);
    for (const type of registeredTypes()) expect(names.has(topicOf(type))).toBe(true);
  });
});

describe('envelopes', () => {
  it('round-trips a valid message', () => {
    const env = buildEnvelope('RemindSupplier', meta, validRemind);
    const decoded = decodeMessage(Topics.SupplierCommands, Buffer.from(JSON.stringify(env)));
    expect(decoded).toMatchObject({ ok: true, envelope: { id: env.id, type: 'RemindSupplier', returnId: meta.returnId, correlationId: env.id } });
  });

  it('refuses to build a message whose payload is invalid (the producer side of validation)', () => {
    expect(() => buildEnvelope('RemindSupplier', meta, { ...validRemind, sagaId: 'nope' })).toThrow(/sagaId/);
  });

  it.each([
    ['not JSON', '{{', /not JSON/],
    ['missing envelope fields', JSON.stringify({ type: 'RemindSupplier' }), /invalid envelope/],
    ['unknown type', JSON.stringify({ ...buildEnvelope('RemindSupplier', meta, validRemind), type: 'Nope' }), /unknown message type/],
    ['wrong topic', JSON.stringify(buildEnvelope('IssueRefund', meta, {
      sagaId: randomUUID(), refundId: randomUUID(), purpose: 'CUSTOMER_REFUND', externalOrderId: 'o', currency: 'EUR', shopCurrency: 'EUR', amountMinor: 1, lines: [], shippingMinor: 0,
    })), /does not belong on supplier.commands/],
    ['invalid payload', JSON.stringify({ ...buildEnvelope('RemindSupplier', meta, validRemind), payload: { sagaId: 1 } }), /invalid RemindSupplier payload: sagaId/],
    ['unknown payload field', JSON.stringify({ ...buildEnvelope('RemindSupplier', meta, validRemind), payload: { ...validRemind, extra: true } }), /extra/],
  ])('rejects %s with the reason', (_name, raw, reason) => {
    const decoded = decodeMessage(Topics.SupplierCommands, raw);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(reason);
  });
});
