import axios, { type AxiosResponse } from 'axios';
import { createTransport } from 'nodemailer';
import { Webhook } from 'standardwebhooks';
import {
  FAKE_SHOPIFY_ERROR_CODES,
  FakeShopify,
  SHOPIFY_INVALID_TOKEN_MESSAGE,
  SmtpSink,
  SupplierReceiver,
  decimalToMinor,
  minorToDecimal,
  waitFor,
} from './index';

const TOKEN = 'shpat_test_token';
const ORDER = 'gid://shopify/Order/1001';
const LINE = 'gid://shopify/LineItem/1';

const REFUND_MUTATION = `mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund { id totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } }
    order { id }
    userErrors { field message }
  }
}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('waitFor', () => {
  it('resolves with the first non-empty value', async () => {
    let n = 0;
    const v = await waitFor(() => (++n >= 3 ? n : undefined), { intervalMs: 5 });
    expect(v).toBe(3);
  });

  it('treats 0 as a value but false/null/undefined as not yet', async () => {
    await expect(waitFor(() => 0)).resolves.toBe(0);
  });

  it('times out with the message and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('boom');
        },
        { timeoutMs: 60, intervalMs: 10, message: 'never ready' },
      ),
    ).rejects.toThrow(/never ready.*timed out after 60ms.*boom/);
  });
});

describe('money helpers', () => {
  it('converts decimals with the currency exponent', () => {
    expect(decimalToMinor('12.50', 'EUR')).toEqual({ minor: 1250 });
    expect(decimalToMinor('12.5', 'EUR')).toEqual({ minor: 1250 });
    expect(decimalToMinor('1500', 'JPY')).toEqual({ minor: 1500 });
    expect(decimalToMinor('1500.00', 'JPY')).toEqual({ minor: 1500 });
    expect(decimalToMinor('1.234', 'KWD')).toEqual({ minor: 1234 });
    expect('error' in decimalToMinor('1.234', 'EUR')).toBe(true);
    expect('error' in decimalToMinor('abc', 'EUR')).toBe(true);
    expect(minorToDecimal(1999, 'EUR')).toBe('19.99');
    expect(minorToDecimal(1000, 'EUR')).toBe('10.0');
    expect(minorToDecimal(450, 'USD')).toBe('4.5');
    expect(minorToDecimal(1500, 'JPY')).toBe('1500.0');
  });
});

describe('FakeShopify', () => {
  let shop: FakeShopify;

  const post = (body: unknown, opts: { token?: string; timeout?: number } = {}): Promise<AxiosResponse<Json>> =>
    axios.post(shop.graphqlUrl, body, {
      headers: { 'X-Shopify-Access-Token': opts.token ?? TOKEN, 'Content-Type': 'application/json' },
      validateStatus: () => true,
      timeout: opts.timeout ?? 5000,
    });

  const refund = (key: string, input: Record<string, unknown>, opts: { token?: string; timeout?: number } = {}) =>
    post({ query: REFUND_MUTATION, variables: { input, idempotencyKey: key } }, opts);

  const lineRefundInput = (amount = '19.99'): Record<string, unknown> => ({
    orderId: ORDER,
    note: 'Return RMA-1',
    notify: false,
    refundLineItems: [{ lineItemId: LINE, quantity: 1, restockType: 'NO_RESTOCK' }],
    transactions: [{ orderId: ORDER, gateway: 'shopify_payments', kind: 'REFUND', amount }],
  });

  beforeEach(async () => {
    shop = await new FakeShopify({ accessToken: TOKEN }).start();
    shop.addOrder({
      id: ORDER,
      currency: 'EUR',
      lineItems: [{ id: LINE, quantity: 2, unitPriceMinor: 1999 }],
      shippingMinor: 495,
    });
  });

  afterEach(async () => {
    await shop.stop();
  });

  it('exposes urls on loopback', () => {
    expect(shop.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(shop.graphqlUrl).toBe(`${shop.url}/admin/api/2026-04/graphql.json`);
    expect(shop.order(ORDER)?.paidMinor).toBe(2 * 1999 + 495);
  });

  it('rejects a wrong access token with 401', async () => {
    const res = await refund('k-401', lineRefundInput(), { token: 'nope' });
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ errors: SHOPIFY_INVALID_TOKEN_MESSAGE });
    expect(shop.refunds).toHaveLength(0);
  });

  it('returns 404 for unknown paths and accepts any version segment', async () => {
    const res404 = await axios.post(`${shop.url}/admin/api/2026-04/products.json`, {}, { validateStatus: () => true });
    expect(res404.status).toBe(404);
    const res = await axios.post(
      `${shop.url}/admin/api/2025-10/graphql.json`,
      { query: REFUND_MUTATION, variables: { input: lineRefundInput(), idempotencyKey: 'k-ver' } },
      { headers: { 'X-Shopify-Access-Token': TOKEN }, validateStatus: () => true },
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-shopify-api-version']).toBe('2025-10');
    expect(res.data.data.refundCreate.userErrors).toEqual([]);
  });

  it('creates a refund and reports it', async () => {
    const res = await refund('k-1', lineRefundInput());
    expect(res.status).toBe(200);
    expect(res.data.errors).toBeUndefined();
    const payload = res.data.data.refundCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.order).toEqual({ id: ORDER });
    expect(payload.refund.id).toMatch(/^gid:\/\/shopify\/Refund\/\d+$/);
    expect(payload.refund.totalRefundedSet.shopMoney).toEqual({ amount: '19.99', currencyCode: 'EUR' });
    expect(payload.refund.totalRefundedSet.presentmentMoney).toEqual({ amount: '19.99', currencyCode: 'EUR' });

    expect(shop.refunds).toHaveLength(1);
    expect(shop.refunds[0]).toMatchObject({
      id: payload.refund.id,
      key: 'k-1',
      orderId: ORDER,
      amountMinor: 1999,
      currency: 'EUR',
      lines: [{ lineItemId: LINE, quantity: 1, restockType: 'NO_RESTOCK', subtotalMinor: 1999 }],
      note: 'Return RMA-1',
      notify: false,
    });
    expect(shop.refundedMinor(ORDER)).toBe(1999);
    expect(shop.requests).toHaveLength(1);
    expect(shop.requests[0]?.headers['x-shopify-access-token']).toBe(TOKEN);
    expect(shop.requests[0]?.outcome).toBe('refund-created');
    expect(shop.requests[0]?.idempotencyKey).toBe('k-1');
  });

  it('computes the amount from lines + shipping when no transactions are given', async () => {
    const res = await refund('k-lines', {
      orderId: ORDER,
      refundLineItems: [{ lineItemId: LINE, quantity: 2 }],
      shipping: { fullRefund: true },
    });
    expect(res.data.data.refundCreate.userErrors).toEqual([]);
    expect(res.data.data.refundCreate.refund.totalRefundedSet.shopMoney.amount).toBe('44.93');
    expect(shop.refundedMinor(ORDER)).toBe(4493);
    expect(shop.order(ORDER)?.shippingRefundedMinor).toBe(495);
  });

  it('accepts an inline string literal idempotency key', async () => {
    const query = `mutation($input: RefundInput!) {
      refundCreate(input: $input) @idempotent(key: "inline-key-1") { refund { id } userErrors { field message } }
    }`;
    const res = await post({ query, variables: { input: lineRefundInput() } });
    expect(res.data.data.refundCreate.userErrors).toEqual([]);
    expect(shop.refunds[0]?.key).toBe('inline-key-1');
  });

  it('replays the same response for the same key and input, without a second refund', async () => {
    const first = await refund('k-replay', lineRefundInput());
    const second = await refund('k-replay', lineRefundInput());
    expect(second.status).toBe(200);
    expect(second.data).toEqual(first.data);
    expect(shop.refunds).toHaveLength(1);
    expect(shop.refundedMinor(ORDER)).toBe(1999);
    expect(shop.requests.map((r) => r.outcome)).toEqual(['refund-created', 'replayed']);
  });

  it('refuses the same key with different parameters', async () => {
    await refund('k-mismatch', lineRefundInput('19.99'));
    const res = await refund('k-mismatch', lineRefundInput('10.00'));
    expect(res.status).toBe(200);
    expect(res.data.data).toBeUndefined();
    expect(res.data.errors[0]).toEqual({
      message: 'Idempotency key already used with different parameters',
      extensions: { code: FAKE_SHOPIFY_ERROR_CODES.keyMismatch },
    });
    expect(shop.refunds).toHaveLength(1);
  });

  it('refuses a concurrent request with the same key while the first is in progress', async () => {
    shop.responseDelayMs = 150;
    const [a, b] = await Promise.all([
      refund('k-conc', lineRefundInput()),
      new Promise((r) => setTimeout(r, 30)).then(() => refund('k-conc', lineRefundInput())),
    ]);
    expect(a.data.data.refundCreate.userErrors).toEqual([]);
    expect(b.data.errors[0].extensions.code).toBe(FAKE_SHOPIFY_ERROR_CODES.concurrent);
    expect(shop.refunds).toHaveLength(1);
  });

  it('refuses an over-refund and records nothing', async () => {
    const res = await refund('k-over', lineRefundInput('100.00'));
    expect(res.status).toBe(200);
    expect(res.data.data.refundCreate.refund).toBeNull();
    expect(res.data.data.refundCreate.userErrors).toEqual([
      { field: ['transactions', '0', 'amount'], message: 'Refund amount exceeds the refundable amount' },
    ]);
    expect(shop.refunds).toHaveLength(0);
    expect(shop.refundedMinor(ORDER)).toBe(0);
  });

  it('refuses refunding more than the remaining refundable after earlier refunds', async () => {
    await refund('k-a', { ...lineRefundInput('40.00'), refundLineItems: [] });
    const res = await refund('k-b', { ...lineRefundInput('5.00'), refundLineItems: [] });
    expect(res.data.data.refundCreate.userErrors[0].message).toBe('Refund amount exceeds the refundable amount');
    const ok = await refund('k-c', { ...lineRefundInput('4.93'), refundLineItems: [] });
    expect(ok.data.data.refundCreate.userErrors).toEqual([]);
    expect(shop.refundedMinor(ORDER)).toBe(4493);
  });

  it('refuses refunding more quantity than remains', async () => {
    await refund('k-q1', lineRefundInput());
    const res = await refund('k-q2', {
      ...lineRefundInput(),
      refundLineItems: [{ lineItemId: LINE, quantity: 2 }],
    });
    const errs = res.data.data.refundCreate.userErrors;
    expect(errs).toHaveLength(1);
    expect(errs[0].field).toEqual(['refundLineItems', '0', 'quantity']);
    expect(shop.refunds).toHaveLength(1);
  });

  it('reports an unknown order', async () => {
    const res = await refund('k-unknown', { ...lineRefundInput(), orderId: 'gid://shopify/Order/999' });
    expect(res.data.data.refundCreate.userErrors).toEqual([{ field: ['orderId'], message: 'Order does not exist' }]);
  });

  it('rejects money sent as a JSON number or with too many decimals', async () => {
    const asNumber = await refund('k-num', {
      ...lineRefundInput(),
      transactions: [{ orderId: ORDER, gateway: 'manual', kind: 'REFUND', amount: 19.99 }],
    });
    expect(asNumber.data.errors[0].message).toMatch(/Variable \$input .* transactions\.0\.amount/);
    const tooPrecise = await refund('k-prec', lineRefundInput('19.999'));
    expect(tooPrecise.data.data.refundCreate.userErrors[0].field).toEqual(['transactions', '0', 'amount']);
    expect(shop.refunds).toHaveLength(0);
  });

  it('handles zero-decimal currencies', async () => {
    shop.addOrder({
      id: 'gid://shopify/Order/2002',
      currency: 'JPY',
      lineItems: [{ id: 'gid://shopify/LineItem/9', quantity: 1, unitPriceMinor: 1500 }],
      shippingMinor: 0,
    });
    const res = await refund('k-jpy', {
      orderId: 'gid://shopify/Order/2002',
      transactions: [{ orderId: 'gid://shopify/Order/2002', gateway: 'manual', kind: 'REFUND', amount: '1500' }],
    });
    expect(res.data.data.refundCreate.refund.totalRefundedSet.shopMoney).toEqual({ amount: '1500.0', currencyCode: 'JPY' });
    expect(shop.refundedMinor('gid://shopify/Order/2002')).toBe(1500);
  });

  it('requires the @idempotent directive (2026-04)', async () => {
    const query = REFUND_MUTATION.replace(' @idempotent(key: $idempotencyKey)', '');
    const res = await post({ query, variables: { input: lineRefundInput(), idempotencyKey: 'ignored' } });
    expect(res.status).toBe(200);
    expect(res.data.errors).toEqual([
      { message: 'The @idempotent directive is required for this mutation', extensions: { code: 'BAD_REQUEST' } },
    ]);
    expect(res.data.data).toBeUndefined();
    expect(shop.refunds).toHaveLength(0);
  });

  it('failNext responds with the injected status and has no effect', async () => {
    shop.failNext(2, 503);
    const r1 = await refund('k-fail', lineRefundInput());
    const r2 = await refund('k-fail', lineRefundInput());
    expect([r1.status, r2.status]).toEqual([503, 503]);
    expect(shop.refunds).toHaveLength(0);
    const r3 = await refund('k-fail', lineRefundInput());
    expect(r3.status).toBe(200);
    expect(r3.data.data.refundCreate.userErrors).toEqual([]);
    expect(shop.refunds).toHaveLength(1);
  });

  it('throttleNext answers 200 with a THROTTLED error and has no effect', async () => {
    shop.throttleNext(1);
    const r1 = await refund('k-thr', lineRefundInput());
    expect(r1.status).toBe(200);
    expect(r1.data.errors[0]).toMatchObject({ message: 'Throttled', extensions: { code: 'THROTTLED' } });
    expect(shop.refunds).toHaveLength(0);
    const r2 = await refund('k-thr', lineRefundInput());
    expect(r2.data.data.refundCreate.userErrors).toEqual([]);
  });

  it('timeoutAfterSuccessNext: refund happens, client gets no answer, replay returns the original', async () => {
    shop.timeoutAfterSuccessNext(1);
    await expect(refund('k-amb', lineRefundInput())).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE|ECONNABORTED/),
    });
    expect(shop.refunds).toHaveLength(1);
    expect(shop.requests[0]?.dropped).toBe(true);
    const originalId = shop.refunds[0]?.id;

    const replay = await refund('k-amb', lineRefundInput());
    expect(replay.status).toBe(200);
    expect(replay.data.data.refundCreate.refund.id).toBe(originalId);
    expect(shop.refunds).toHaveLength(1);
    expect(shop.refundedMinor(ORDER)).toBe(1999);
  });

  it('timeoutAfterSuccessNext with Infinity hangs until the client times out; stop() does not hang', async () => {
    shop.timeoutAfterSuccessNext(1, { destroyAfterMs: Infinity });
    await expect(refund('k-hang', lineRefundInput(), { timeout: 200 })).rejects.toMatchObject({ code: 'ECONNABORTED' });
    expect(shop.refunds).toHaveLength(1);
    shop.timeoutAfterSuccessNext(1, { destroyAfterMs: Infinity });
    const pending = refund('k-hang', lineRefundInput(), { timeout: 10_000 }).catch((e: unknown) => e);
    await waitFor(() => shop.requests.length === 2);
    const t0 = Date.now();
    await shop.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    await pending;
  });
});

describe('FakeShopify store credit and gift cards', () => {
  let shop: FakeShopify;
  const CUSTOMER = 'gid://shopify/Customer/9';
  const CREDIT = `mutation C($id: ID!, $creditInput: StoreCreditAccountCreditInput!, $k: String!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) @idempotent(key: $k) { storeCreditAccountTransaction { id } userErrors { field message code } }
  }`;
  const GIFT = `mutation G($input: GiftCardCreateInput!, $k: String!) {
    giftCardCreate(input: $input) @idempotent(key: $k) { giftCard { id maskedCode } giftCardCode userErrors { field message code } }
  }`;
  const post = (query: string, variables: Record<string, unknown>): Promise<AxiosResponse<Json>> =>
    axios.post(shop.graphqlUrl, { query, variables }, { headers: { 'X-Shopify-Access-Token': TOKEN }, validateStatus: () => true });
  const credit = (k: string, amount: unknown = '10.00', id = CUSTOMER) => post(CREDIT, { id, creditInput: { creditAmount: { amount, currencyCode: 'EUR' } }, k });

  beforeEach(async () => {
    shop = await new FakeShopify({ accessToken: TOKEN }).start();
    shop.addOrder({ id: ORDER, currency: 'EUR', lineItems: [{ id: LINE, quantity: 1, unitPriceMinor: 1000 }], customerId: CUSTOMER });
  });
  afterEach(async () => {
    await shop.stop();
  });

  it('answers order(id:) with its customer, and null for an unknown order', async () => {
    const q = 'query O($id: ID!) { order(id: $id) { id customer { id } } }';
    expect((await post(q, { id: ORDER })).data.data.order).toEqual({ id: ORDER, customer: { id: CUSTOMER } });
    expect((await post(q, { id: 'gid://shopify/Order/0' })).data.data.order).toBeNull();
  });

  it('credits an account (created on first credit), replays the same key, refuses it with other parameters', async () => {
    const first = await credit('k1');
    expect(first.data.data.storeCreditAccountCredit.userErrors).toEqual([]);
    expect((await credit('k1')).data).toEqual(first.data);
    expect((await credit('k1', '11.00')).data.errors[0].extensions.code).toBe(FAKE_SHOPIFY_ERROR_CODES.keyMismatch);
    expect(shop.storeCredits).toHaveLength(1);
    expect(shop.storeCreditBalanceMinor(CUSTOMER, 'EUR')).toBe(1000);
  });

  it('userErrors with Shopify codes; a shop without store credit has no code to give', async () => {
    expect((await credit('k2', '0.00')).data.data.storeCreditAccountCredit.userErrors[0].code).toBe('NEGATIVE_OR_ZERO_AMOUNT');
    expect((await credit('k3', '1.00', 'gid://shopify/Customer/404')).data.data.storeCreditAccountCredit.userErrors[0].code).toBe('OWNER_NOT_FOUND');
    shop.storeCreditEnabled = false;
    const off = (await credit('k4')).data.data.storeCreditAccountCredit;
    expect(off).toEqual({ storeCreditAccountTransaction: null, userErrors: [{ field: ['id'], message: 'Store credit is not enabled for this shop', code: null }] });
    expect((await credit('k5', 10)).data.errors[0].message).toMatch(/invalid value/);
    expect(shop.storeCredits).toHaveLength(0);
  });

  it('creates a gift card once per key (keys are per mutation), with its full code only in the payload', async () => {
    const g = await post(GIFT, { input: { initialValue: '25.00', customerId: CUSTOMER }, k: 'k1' });
    const payload = g.data.data.giftCardCreate;
    expect(payload.giftCardCode).toMatch(/^FAKE/);
    expect(payload.giftCard.maskedCode).toBe(`•••• •••• •••• ${payload.giftCardCode.slice(-4)}`);
    expect((await post(GIFT, { input: { initialValue: '25.00', customerId: CUSTOMER }, k: 'k1' })).data).toEqual(g.data);
    // The same key on the other mutation is another operation.
    expect((await credit('k1')).data.data.storeCreditAccountCredit.storeCreditAccountTransaction).not.toBeNull();
    expect(shop.giftCards).toEqual([expect.objectContaining({ amountMinor: 2500, currency: 'EUR', code: payload.giftCardCode })]);
    expect((await post(GIFT, { input: { initialValue: '0' }, k: 'k9' })).data.data.giftCardCreate.userErrors[0].code).toBe('GREATER_THAN');
    expect((await post(GIFT.replace(' @idempotent(key: $k)', ''), { input: { initialValue: '1.00' }, k: 'x' })).data.errors[0].extensions.code).toBe(FAKE_SHOPIFY_ERROR_CODES.missingDirective);
  });
});

describe('SmtpSink', () => {
  let sink: SmtpSink;

  beforeEach(async () => {
    sink = await new SmtpSink().start();
  });

  afterEach(async () => {
    await sink.stop();
  });

  const transport = (auth?: { user: string; pass: string }) =>
    createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, ...(auth ? { auth } : {}) });

  it('receives and parses a message sent with nodemailer', async () => {
    await transport().sendMail({
      from: '"Returns" <returns@shop.test>',
      to: ['customer@example.test', 'Other <other@example.test>'],
      bcc: 'audit@shop.test',
      subject: 'Your return RMA-1 is approved',
      text: 'Hello, your refund of 19.99 EUR is on its way.',
      html: '<p>Hello, your refund of <b>19.99 EUR</b> is on its way.</p>',
      headers: { 'X-Return-Id': 'RMA-1' },
    });
    const msg = await sink.waitFor((m) => m.subject.includes('RMA-1'), 2000);
    expect(msg.from).toBe('returns@shop.test');
    expect(msg.to).toEqual(['customer@example.test', 'other@example.test']);
    expect(msg.text.trim()).toBe('Hello, your refund of 19.99 EUR is on its way.');
    expect(msg.html).toContain('<b>19.99 EUR</b>');
    expect(msg.headers['x-return-id']).toBe('RMA-1');
    expect(msg.headers['subject']).toBe('Your return RMA-1 is approved');
    expect(msg.envelope.to).toEqual(['customer@example.test', 'other@example.test', 'audit@shop.test']);
    expect(msg.raw).toContain('Subject: Your return RMA-1 is approved');
  });

  it('accepts optional auth and records the user', async () => {
    await transport({ user: 'app', pass: 'secret' }).sendMail({
      from: 'a@shop.test',
      to: 'b@example.test',
      subject: 'auth',
      text: 'x',
    });
    const msg = await sink.waitFor((m) => m.subject === 'auth');
    expect(msg.authUser).toBe('app');
  });

  it('failNext rejects with a 451 temporary error, then accepts', async () => {
    sink.failNext(1);
    const t = transport();
    await expect(t.sendMail({ from: 'a@shop.test', to: 'b@example.test', subject: 'retry me', text: 'x' })).rejects.toMatchObject({
      responseCode: 451,
    });
    expect(sink.messages).toHaveLength(0);
    expect(sink.rejectedCount).toBe(1);
    await t.sendMail({ from: 'a@shop.test', to: 'b@example.test', subject: 'retry me', text: 'x' });
    await sink.waitForCount(1);
    expect(sink.messages[0]?.subject).toBe('retry me');
  });

  it('waitFor times out with a helpful message', async () => {
    await expect(sink.waitFor((m) => m.subject === 'never', 100)).rejects.toThrow(/SmtpSink: no matching message/);
  });
});

describe('SupplierReceiver', () => {
  let receiver: SupplierReceiver;
  const secret = SupplierReceiver.randomSecret();

  beforeEach(async () => {
    receiver = await new SupplierReceiver().start();
    receiver.secret = secret;
  });

  afterEach(async () => {
    await receiver.stop();
  });

  const signedHeaders = (payload: string, msgId = 'msg_1', s = secret): Record<string, string> => {
    const now = new Date();
    return {
      'content-type': 'application/json',
      'webhook-id': msgId,
      'webhook-timestamp': Math.floor(now.getTime() / 1000).toString(),
      'webhook-signature': new Webhook(s).sign(msgId, now, payload),
    };
  };

  const postRaw = (body: string, headers: Record<string, string>, path = '/webhooks', timeout = 5000) =>
    axios.post(receiver.url(path), body, {
      headers,
      validateStatus: () => true,
      maxRedirects: 0,
      timeout,
      transformRequest: [(d: unknown) => d],
    });

  it('verifies a correctly signed payload', async () => {
    const payload = JSON.stringify({ type: 'return.created', data: { rma: 'RMA-1' } });
    const res = await postRaw(payload, signedHeaders(payload), '/hooks/returns?x=1');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true });
    const [req] = await receiver.waitForRequests(1);
    expect(req).toMatchObject({
      method: 'POST',
      path: '/hooks/returns?x=1',
      body: payload,
      json: { type: 'return.created', data: { rma: 'RMA-1' } },
      verified: true,
    });
    expect(req?.verifyError).toBeUndefined();
    expect(req?.headers['webhook-id']).toBe('msg_1');
  });

  it('flags a tampered body, a wrong secret, and a missing secret', async () => {
    const payload = JSON.stringify({ amount: '19.99' });
    await postRaw(JSON.stringify({ amount: '99.99' }), signedHeaders(payload));
    await postRaw(payload, signedHeaders(payload, 'msg_2', SupplierReceiver.randomSecret()));
    await postRaw(payload, { 'content-type': 'application/json' });
    receiver.secret = undefined;
    await postRaw(payload, signedHeaders(payload));
    const reqs = await receiver.waitForRequests(4);
    expect(reqs.map((r) => r.verified)).toEqual([false, false, false, false]);
    expect(reqs[0]?.verifyError).toBe('No matching signature found');
    expect(reqs[1]?.verifyError).toBe('No matching signature found');
    expect(reqs[2]?.verifyError).toBe('Missing required headers');
    expect(reqs[3]?.verifyError).toBe('no secret configured');
  });

  it('rejects an invalid secret when set', () => {
    expect(() => {
      receiver.secret = 'whsec_';
    }).toThrow();
  });

  it('returns scripted responses in order, then the default', async () => {
    const elsewhere = receiver.url('/elsewhere');
    receiver.respondWith([
      { status: 500 },
      { status: 500 },
      { status: 301, headers: { location: elsewhere } },
      { status: 410 },
      { status: 429, headers: { 'retry-after': '7' } },
      { status: 202, body: 'accepted', delayMs: 50 },
    ]);
    const payload = '{}';
    const statuses: number[] = [];
    const responses: AxiosResponse[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await postRaw(payload, signedHeaders(payload, `msg_${i}`));
      statuses.push(r.status);
      responses.push(r);
    }
    expect(statuses).toEqual([500, 500, 301, 410, 429, 202, 200]);
    expect(responses[2]?.headers['location']).toBe(elsewhere);
    expect(responses[4]?.headers['retry-after']).toBe('7');
    expect(responses[5]?.data).toBe('accepted');
    expect(receiver.requests.map((r) => r.response.status ?? 200)).toEqual([500, 500, 301, 410, 429, 202, 200]);
    expect(receiver.requests.every((r) => r.verified)).toBe(true);
  });

  it('timeout responses make the client time out and do not block stop()', async () => {
    receiver.respondWith([{ timeoutMs: 20_000 }, { destroy: true }]);
    const payload = '{}';
    await expect(postRaw(payload, signedHeaders(payload), '/webhooks', 200)).rejects.toMatchObject({ code: 'ECONNABORTED' });
    await expect(postRaw(payload, signedHeaders(payload), '/webhooks')).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|ERR_BAD_RESPONSE/),
    });
    receiver.respondWith([{ timeoutMs: 20_000 }]);
    const pending = postRaw(payload, signedHeaders(payload), '/webhooks', 30_000).catch((e: unknown) => e);
    await receiver.waitForRequests(3);
    const t0 = Date.now();
    await receiver.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    await pending;
  });
});
