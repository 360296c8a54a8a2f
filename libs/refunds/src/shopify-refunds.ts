import { Inject, Injectable, Optional } from '@nestjs/common';
import axios from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import { AllowList, guardedLookup, HOST_RESOLVER, HostResolver, PLATFORM_CONFIG, SsrfRefused, systemResolver } from '@app/platform';
import { fromDecimalString, toDecimalString } from '@app/returns';
import { RefundsConfig } from './config';
import { checkStoreUrl } from './store-url';

export const SHOPIFY_API_VERSION = '2026-04';

export interface StoreRefund {
  idempotencyKey: string;
  externalOrderId: string;
  currency: string;
  amountMinor: number;
  lines: { externalLineId: string; quantity: number }[];
  shippingMinor: number;
  note?: string;
}

export type StoreRefundResult =
  | { kind: 'succeeded'; providerRefundId: string; amountMinor: number }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unavailable'; reason: string };

/** Store credit for a customer: credited to their store credit account, or as a gift card where the shop has none. */
export interface StoreCredit {
  idempotencyKey: string;
  externalOrderId: string;
  currency: string;
  shopCurrency: string;
  amountMinor: number;
  note?: string;
}

export type StoreCreditResult =
  | { kind: 'succeeded'; providerRefundId: string; amountMinor: number; giftCardCode?: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unavailable'; reason: string };

export interface StoreConnection {
  url: string;
  accessToken: string;
}

/** Store adapter: where a customer's money goes back. */
export interface StoreRefunds {
  refund(store: StoreConnection, r: StoreRefund): Promise<StoreRefundResult>;
  storeCredit(store: StoreConnection, c: StoreCredit): Promise<StoreCreditResult>;
}

const REFUND_CREATE = `mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund { id totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } }
    userErrors { field message }
  }
}`;

const ORDER_CUSTOMER = `query OrderCustomer($id: ID!) { order(id: $id) { id customer { id } } }`;

const STORE_CREDIT = `mutation StoreCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!, $idempotencyKey: String!) {
  storeCreditAccountCredit(id: $id, creditInput: $creditInput) @idempotent(key: $idempotencyKey) {
    storeCreditAccountTransaction { id amount { amount currencyCode } account { id balance { amount currencyCode } } }
    userErrors { field message code }
  }
}`;

const GIFT_CARD = `mutation GiftCard($input: GiftCardCreateInput!, $idempotencyKey: String!) {
  giftCardCreate(input: $input) @idempotent(key: $idempotencyKey) {
    giftCard { id maskedCode initialValue { amount currencyCode } }
    giftCardCode
    userErrors { field message code }
  }
}`;

type Call = { kind: 'ok'; data: Record<string, unknown> } | { kind: 'rejected' | 'unavailable'; reason: string };

const userErrorText = (errors: { message: string; code?: string | null }[]) => errors.map((e) => (e.code ? `${e.code}: ${e.message}` : e.message)).join('; ');

/**
 * Shopify Admin GraphQL `refundCreate` (REST is legacy). The `@idempotent`
 * directive (mandatory from 2026-04) carries our refund id, so a retry after
 * an ambiguous failure can never refund twice.
 *
 * The access token goes to the store's host only: the URL is checked again
 * here (it may predate the check at sign-up), the name is resolved once and
 * every address checked at connect time (DNS rebinding), redirects are
 * never followed and no proxy from the environment is used.
 */
@Injectable()
export class ShopifyRefunds implements StoreRefunds {
  private readonly allow: AllowList;

  constructor(
    @Optional() @Inject(PLATFORM_CONFIG) config?: RefundsConfig,
    @Optional() @Inject(HOST_RESOLVER) private readonly resolver: HostResolver = systemResolver,
  ) {
    this.allow = AllowList.parse(config?.STORE_ALLOW_HOSTS);
  }

  async refund(store: StoreConnection, r: StoreRefund): Promise<StoreRefundResult> {
    const input = {
      orderId: r.externalOrderId,
      note: r.note,
      notify: false,
      currency: r.currency,
      refundLineItems: r.lines.map((l) => ({ lineItemId: l.externalLineId, quantity: l.quantity, restockType: 'NO_RESTOCK' })),
      ...(r.shippingMinor > 0 ? { shipping: { amount: toDecimalString(r.shippingMinor, r.currency) } } : {}),
      transactions: [{ orderId: r.externalOrderId, gateway: 'shopify_payments', kind: 'REFUND', amount: toDecimalString(r.amountMinor, r.currency) }],
    };
    const call = await this.adminGraphql(store, REFUND_CREATE, { input, idempotencyKey: r.idempotencyKey });
    if (call.kind !== 'ok') return call;
    const payload = call.data.refundCreate as { refund?: { id: string; totalRefundedSet?: { presentmentMoney?: { amount: string; currencyCode: string } } }; userErrors?: { message: string }[] } | undefined;
    if (payload?.userErrors?.length) return { kind: 'rejected', reason: payload.userErrors.map((e) => e.message).join('; ') };
    if (!payload?.refund?.id) return { kind: 'unavailable', reason: 'malformed response' };
    const presentment = payload.refund.totalRefundedSet?.presentmentMoney;
    const amountMinor = presentment ? fromDecimalString(String(presentment.amount), presentment.currencyCode) : r.amountMinor;
    return { kind: 'succeeded', providerRefundId: payload.refund.id, amountMinor };
  }

  /**
   * One Admin GraphQL call, to the store's host only (see above), its failures
   * sorted into "retry with the same key" and "give up". Every call to the
   * store goes through here.
   */
  private async adminGraphql(store: StoreConnection, query: string, variables: Record<string, unknown>): Promise<Call> {
    let target;
    try {
      target = checkStoreUrl(store.url, this.allow);
    } catch (err) {
      if (err instanceof SsrfRefused) return { kind: 'rejected', reason: `store URL ${err.message}` };
      throw err;
    }
    // Listed (test/local) hosts are exempt as written; any other name must resolve to public addresses only.
    const lookup = (target.allowListed ? undefined : guardedLookup(false, this.resolver)) as unknown as http.AgentOptions['lookup'];
    const agentOptions = { keepAlive: false, ...(lookup ? { lookup } : {}) };
    try {
      const res = await axios.post(
        `${target.allowListed ? store.url.replace(/\/$/, '') : target.url.origin}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`,
        { query, variables },
        {
          headers: { 'X-Shopify-Access-Token': store.accessToken, 'content-type': 'application/json' },
          timeout: 20_000,
          validateStatus: () => true,
          maxRedirects: 0,
          proxy: false,
          httpAgent: new http.Agent(agentOptions),
          httpsAgent: new https.Agent(agentOptions),
        },
      );
      if (res.status >= 300 && res.status < 400) return { kind: 'rejected', reason: `store answered a redirect (HTTP ${res.status}); redirects are not followed` };
      if (res.status === 401 || res.status === 403) return { kind: 'rejected', reason: `store refused credentials (HTTP ${res.status})` };
      if (res.status !== 200) return { kind: 'unavailable', reason: `HTTP ${res.status}` };
      const errors = res.data?.errors as { message: string; extensions?: { code?: string } }[] | undefined;
      if (errors?.length) {
        const code = errors[0].extensions?.code ?? '';
        const transient = ['THROTTLED', 'INTERNAL_SERVER_ERROR', 'IDEMPOTENCY_CONCURRENT_REQUEST'].includes(code);
        return { kind: transient ? 'unavailable' : 'rejected', reason: `${code || 'GRAPHQL_ERROR'}: ${errors[0].message}` };
      }
      if (!res.data?.data) return { kind: 'unavailable', reason: 'malformed response' };
      return { kind: 'ok', data: res.data.data };
    } catch (err) {
      if (err instanceof SsrfRefused || err?.cause instanceof SsrfRefused) return { kind: 'rejected', reason: `store URL ${(err.cause ?? err).message}` };
      // Timeout or reset: the operation may or may not have happened. Retrying with the same key is safe.
      return { kind: 'unavailable', reason: String(err?.code ?? err?.message ?? err) };
    }
  }

  /**
   * Store credit the customer can spend in the store. The order's customer gets
   * `storeCreditAccountCredit` (the account for the currency is created on first
   * credit); where that is refused (store credit not enabled, a guest checkout)
   * a gift card is created with `giftCardCreate` and its code goes to the
   * customer. Both carry `@idempotent` keys derived from our refund id, so a
   * retry after an ambiguous failure replays the first outcome: a replayed
   * credit is never credited twice, and a replayed refusal leads to the same,
   * single gift card.
   */
  async storeCredit(store: StoreConnection, c: StoreCredit): Promise<StoreCreditResult> {
    const order = await this.adminGraphql(store, ORDER_CUSTOMER, { id: c.externalOrderId });
    if (order.kind !== 'ok') return order;
    const o = order.data.order as { customer?: { id: string } | null } | null;
    if (!o) return { kind: 'rejected', reason: `order ${c.externalOrderId} not found in the store` };
    let refusal = 'the order has no customer account (guest checkout)';
    if (o.customer?.id) {
      const credit = await this.adminGraphql(store, STORE_CREDIT, {
        id: o.customer.id,
        creditInput: { creditAmount: { amount: toDecimalString(c.amountMinor, c.currency), currencyCode: c.currency } },
        idempotencyKey: c.idempotencyKey,
      });
      if (credit.kind !== 'ok') return credit;
      const p = credit.data.storeCreditAccountCredit as { storeCreditAccountTransaction?: { id: string; amount: { amount: string; currencyCode: string } } | null; userErrors?: { message: string; code?: string | null }[] } | undefined;
      const t = p?.storeCreditAccountTransaction;
      if (t?.id) return { kind: 'succeeded', providerRefundId: t.id, amountMinor: fromDecimalString(String(t.amount.amount), t.amount.currencyCode) };
      if (!p?.userErrors?.length) return { kind: 'unavailable', reason: 'malformed response' };
      refusal = userErrorText(p.userErrors);
    }
    // A gift card holds the shop's currency: in another currency its value would be wrong.
    if (c.currency !== c.shopCurrency) return { kind: 'rejected', reason: `store credit refused (${refusal}) and a gift card would be in ${c.shopCurrency}, not ${c.currency}` };
    const gift = await this.adminGraphql(store, GIFT_CARD, {
      input: { initialValue: toDecimalString(c.amountMinor, c.currency), ...(o.customer?.id ? { customerId: o.customer.id } : {}), note: c.note },
      idempotencyKey: `gift-card:${c.idempotencyKey}`,
    });
    if (gift.kind !== 'ok') return gift;
    const g = gift.data.giftCardCreate as { giftCard?: { id: string; initialValue: { amount: string; currencyCode: string } } | null; giftCardCode?: string | null; userErrors?: { message: string; code?: string | null }[] } | undefined;
    if (g?.giftCard?.id && g.giftCardCode) {
      return { kind: 'succeeded', providerRefundId: g.giftCard.id, amountMinor: fromDecimalString(String(g.giftCard.initialValue.amount), g.giftCard.initialValue.currencyCode), giftCardCode: g.giftCardCode };
    }
    if (g?.userErrors?.length) return { kind: 'rejected', reason: `store credit refused (${refusal}); gift card refused (${userErrorText(g.userErrors)})` };
    return { kind: 'unavailable', reason: 'malformed response' };
  }
}
