import { FakeShopify } from '@app/testing';
import { ShopifyRefunds, StoreCredit } from './shopify-refunds';

const ORDER = 'gid://shopify/Order/2001';
const GUEST_ORDER = 'gid://shopify/Order/2002';
const CUSTOMER = 'gid://shopify/Customer/77';

describe('ShopifyRefunds.storeCredit against the fake Shopify', () => {
  let shop: FakeShopify;
  const adapter = new ShopifyRefunds();
  const store = () => ({ url: shop.url, accessToken: shop.accessToken });
  const credit = (over: Partial<StoreCredit> = {}): StoreCredit => ({
    idempotencyKey: '3f1d2a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b', externalOrderId: ORDER, currency: 'EUR', shopCurrency: 'EUR', amountMinor: 3200, note: 'QUALITY_ISSUE return', ...over,
  });

  beforeAll(async () => {
    shop = await new FakeShopify().start();
  });
  afterAll(async () => {
    await shop.stop();
  });
  beforeEach(() => {
    shop.reset();
    shop.storeCreditEnabled = true;
    shop.addOrder({ id: ORDER, currency: 'EUR', lineItems: [{ id: 'gid://shopify/LineItem/1', quantity: 1, unitPriceMinor: 4000 }], customerId: CUSTOMER });
    shop.addOrder({ id: GUEST_ORDER, currency: 'EUR', lineItems: [{ id: 'gid://shopify/LineItem/2', quantity: 1, unitPriceMinor: 4000 }] });
  });

  it("credits the order's customer's store credit account, in the order's currency", async () => {
    const r = await adapter.storeCredit(store(), credit());
    expect(r).toEqual({ kind: 'succeeded', providerRefundId: expect.stringMatching(/^gid:\/\/shopify\/StoreCreditAccountCreditTransaction\//), amountMinor: 3200 });
    expect(shop.storeCredits).toEqual([expect.objectContaining({ customerId: CUSTOMER, amountMinor: 3200, currency: 'EUR', key: credit().idempotencyKey })]);
    expect(shop.storeCreditBalanceMinor(CUSTOMER, 'EUR')).toBe(3200);
    const [call] = shop.storeCreditRequests;
    expect((call.json as { variables: unknown }).variables).toMatchObject({ id: CUSTOMER, creditInput: { creditAmount: { amount: '32.00', currencyCode: 'EUR' } } });
  });

  it('a retry after a lost answer replays the first credit: credited once', async () => {
    shop.timeoutAfterSuccessNext(1, { newRefundsOnly: true });
    const first = await adapter.storeCredit(store(), credit());
    expect(first.kind).toBe('unavailable');
    const second = await adapter.storeCredit(store(), credit());
    expect(second.kind).toBe('succeeded');
    expect(shop.storeCredits).toHaveLength(1);
    expect(shop.storeCreditRequests.map((r) => r.outcome)).toEqual(['store-credit-created', 'replayed']);
    expect(shop.storeCreditBalanceMinor(CUSTOMER, 'EUR')).toBe(3200);
  });

  it('a shop without store credit gets a gift card for the customer, once, and its code comes back', async () => {
    shop.storeCreditEnabled = false;
    const r = await adapter.storeCredit(store(), credit());
    expect(r).toMatchObject({ kind: 'succeeded', providerRefundId: expect.stringMatching(/^gid:\/\/shopify\/GiftCard\//), amountMinor: 3200, giftCardCode: expect.any(String) });
    const again = await adapter.storeCredit(store(), credit());
    expect(again).toEqual(r);
    expect(shop.giftCards).toEqual([expect.objectContaining({ customerId: CUSTOMER, amountMinor: 3200, code: r.kind === 'succeeded' ? r.giftCardCode : '' })]);
    expect(shop.storeCredits).toHaveLength(0);
    expect(shop.giftCardRequests.map((q) => q.outcome)).toEqual(['gift-card-created', 'replayed']);
  });

  it('a guest checkout (no customer) gets a gift card without an owner', async () => {
    const r = await adapter.storeCredit(store(), credit({ externalOrderId: GUEST_ORDER }));
    expect(r.kind).toBe('succeeded');
    expect(shop.storeCreditRequests).toHaveLength(0);
    expect(shop.giftCards).toEqual([expect.objectContaining({ customerId: undefined, amountMinor: 3200 })]);
  });

  it('no gift card in the shop currency for an order in another currency: refused, nothing created', async () => {
    shop.storeCreditEnabled = false;
    const r = await adapter.storeCredit(store(), credit({ currency: 'DKK', shopCurrency: 'EUR' }));
    expect(r).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/gift card would be in EUR, not DKK/) });
    expect(shop.giftCards).toHaveLength(0);
  });

  it('an outage or throttling is worth retrying and creates nothing; bad credentials are not', async () => {
    shop.failNext(1, 503);
    expect(await adapter.storeCredit(store(), credit())).toMatchObject({ kind: 'unavailable', reason: 'HTTP 503' });
    shop.throttleNext(1);
    expect(await adapter.storeCredit(store(), credit())).toMatchObject({ kind: 'unavailable', reason: expect.stringMatching(/^THROTTLED/) });
    expect(await adapter.storeCredit({ url: shop.url, accessToken: 'wrong' }, credit())).toMatchObject({ kind: 'rejected' });
    expect(shop.storeCredits).toHaveLength(0);
  });

  it('an unknown order is refused', async () => {
    expect(await adapter.storeCredit(store(), credit({ externalOrderId: 'gid://shopify/Order/404' }))).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/not found/) });
  });
});
