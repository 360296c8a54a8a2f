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

/** Store adapter: where a customer's money goes back. */
export interface StoreRefunds {
  refund(store: { url: string; accessToken: string }, r: StoreRefund): Promise<StoreRefundResult>;
}

const REFUND_CREATE = `mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund { id totalRefundedSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } }
    userErrors { field message }
  }
}`;

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

  async refund(store: { url: string; accessToken: string }, r: StoreRefund): Promise<StoreRefundResult> {
    let target;
    try {
      target = checkStoreUrl(store.url, this.allow);
    } catch (err) {
      if (err instanceof SsrfRefused) return { kind: 'rejected', reason: `store URL ${err.message}` };
      throw err;
    }
    // Listed (test/local) hosts are exempt as written; any other name must resolve to public addresses only.
    const lookup = (target.allowListed ? undefined : guardedLookup(AllowList.none, this.resolver)) as unknown as http.AgentOptions['lookup'];
    const agentOptions = { keepAlive: false, ...(lookup ? { lookup } : {}) };
    const input = {
      orderId: r.externalOrderId,
      note: r.note,
      notify: false,
      currency: r.currency,
      refundLineItems: r.lines.map((l) => ({ lineItemId: l.externalLineId, quantity: l.quantity, restockType: 'NO_RESTOCK' })),
      ...(r.shippingMinor > 0 ? { shipping: { amount: toDecimalString(r.shippingMinor, r.currency) } } : {}),
      transactions: [{ orderId: r.externalOrderId, gateway: 'shopify_payments', kind: 'REFUND', amount: toDecimalString(r.amountMinor, r.currency) }],
    };
    try {
      const res = await axios.post(
        `${target.allowListed ? store.url.replace(/\/$/, '') : target.url.origin}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`,
        { query: REFUND_CREATE, variables: { input, idempotencyKey: r.idempotencyKey } },
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
      const payload = res.data?.data?.refundCreate;
      if (payload?.userErrors?.length) return { kind: 'rejected', reason: payload.userErrors.map((e: { message: string }) => e.message).join('; ') };
      if (!payload?.refund?.id) return { kind: 'unavailable', reason: 'malformed response' };
      const presentment = payload.refund.totalRefundedSet?.presentmentMoney;
      const amountMinor = presentment ? fromDecimalString(String(presentment.amount), presentment.currencyCode) : r.amountMinor;
      return { kind: 'succeeded', providerRefundId: payload.refund.id, amountMinor };
    } catch (err) {
      if (err instanceof SsrfRefused || err?.cause instanceof SsrfRefused) return { kind: 'rejected', reason: `store URL ${(err.cause ?? err).message}` };
      // Timeout or reset: the refund may or may not have happened. Retrying with the same key is safe.
      return { kind: 'unavailable', reason: String(err?.code ?? err?.message ?? err) };
    }
  }
}
