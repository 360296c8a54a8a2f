/**
 * FakeShopify: a real HTTP server on loopback that plays the Shopify Admin GraphQL API
 * (version 2026-04) for what the returns orchestrator uses: the `refundCreate`,
 * `storeCreditAccountCredit` and `giftCardCreate` mutations and the `order(id:) { customer { id } }` query.
 *
 * Contract played (see README-style notes on each method):
 * - `POST /admin/api/{version}/graphql.json` (any version segment), JSON body `{ query, variables }`.
 * - `X-Shopify-Access-Token` must equal the configured token, else HTTP 401
 *   `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`.
 * - `refundCreate(input: $var) @idempotent(key: $key | "literal")`. Since 2026-04 the directive is
 *   mandatory: without it the response is HTTP 200 with a top-level GraphQL error (code BAD_REQUEST).
 * - GraphQL errors and throttling are HTTP 200 with a top-level `errors` array, like Shopify.
 * - Money amounts are Decimal strings. Responses format them the way Shopify serialises Decimals
 *   (Ruby BigDecimal style: "39.98", "10.0", "4.5" — trailing zeros trimmed, at least one decimal).
 *
 * Deliberate simplifications (documented, not hidden):
 * - The response always contains the full payload shape regardless of the selection set.
 * - `input` must be passed as a variable (inline object literals are rejected with a GraphQL error).
 * - Decimal inputs must be JSON strings; a JSON number is rejected as an invalid variable (stricter
 *   than Shopify, on purpose: floats for money are a bug).
 * - Every completed refundCreate outcome (success or userErrors) is stored under its idempotency key
 *   and replayed byte-for-byte for the same key + same input.
 * - Same key with a different `input` → GraphQL error, code IDEMPOTENCY_KEY_PARAMETER_MISMATCH.
 *   Same key while the first request is still being processed (see `responseDelayMs`) → GraphQL
 *   error, code IDEMPOTENCY_CONCURRENT_REQUEST.
 * - `storeCreditAccountCredit(id: $id, creditInput: $input) @idempotent(key: ...)`: `id` is a customer
 *   (or store credit account) gid; the account for the credit's currency is created on first credit.
 *   userErrors carry `code` (StoreCreditAccountCreditUserErrorCode: OWNER_NOT_FOUND, ACCOUNT_NOT_FOUND,
 *   NEGATIVE_OR_ZERO_AMOUNT, ...). A shop without store credit (`storeCreditEnabled = false`) answers
 *   with a userError on `id` whose code is null: Shopify documents no code for it, so clients must not
 *   rely on one.
 * - `giftCardCreate(input: $input) @idempotent(key: ...)`: `initialValue` is a Decimal in the shop's
 *   currency; the payload carries `giftCard { id maskedCode }` and `giftCardCode`, the full code, which
 *   Shopify only ever returns here. userErrors carry GiftCardErrorCode (GREATER_THAN, INVALID, ...).
 * - Idempotency keys are kept per mutation: the same key on two different mutations is two operations.
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

// ---------------------------------------------------------------------------------------------
// Money helpers
// ---------------------------------------------------------------------------------------------

const ZERO_DECIMAL_CURRENCIES = new Set([
  'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF',
]);
const THREE_DECIMAL_CURRENCIES = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** Number of minor-unit digits for an ISO 4217 currency (2 unless listed as 0- or 3-decimal). */
export function currencyExponent(currency: string): number {
  const c = currency.toUpperCase();
  if (ZERO_DECIMAL_CURRENCIES.has(c)) return 0;
  if (THREE_DECIMAL_CURRENCIES.has(c)) return 3;
  return 2;
}

/**
 * Parses a Decimal string ("12.50", "12.5", "12") into integer minor units.
 * Returns `{ error }` if it is not a plain non-negative decimal or has more significant decimals
 * than the currency allows.
 */
export function decimalToMinor(amount: string, currency: string): { minor: number } | { error: string } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!m) return { error: `Invalid decimal amount: ${JSON.stringify(amount)}` };
  const exp = currencyExponent(currency);
  const intPart = m[1] ?? '0';
  let frac = m[2] ?? '';
  const significant = frac.replace(/0+$/, '');
  if (significant.length > exp) {
    return { error: `Amount ${amount} has more than ${exp} decimal places for ${currency}` };
  }
  frac = significant.padEnd(exp, '0');
  const minor = Number(intPart) * 10 ** exp + (exp > 0 ? Number(frac) : 0);
  if (!Number.isSafeInteger(minor)) return { error: `Amount out of range: ${amount}` };
  return { minor };
}

/** Formats integer minor units the way Shopify serialises Decimal: "39.98", "10.0", "4.5", "1000.0". */
export function minorToDecimal(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const negative = minor < 0;
  const abs = Math.abs(minor);
  const divisor = 10 ** exp;
  const intPart = Math.floor(abs / divisor).toString();
  let frac = exp > 0 ? (abs % divisor).toString().padStart(exp, '0') : '';
  frac = frac.replace(/0+$/, '');
  if (frac === '') frac = '0';
  return `${negative ? '-' : ''}${intPart}.${frac}`;
}

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface FakeShopifyOptions {
  /** Expected `X-Shopify-Access-Token`. Default `shpat_fake_token`. */
  accessToken?: string;
  /** The shop's currency (gift cards are in it). Default `EUR`. */
  shopCurrency?: string;
  /** Whether the shop has store credit turned on. Default true. */
  storeCreditEnabled?: boolean;
  /** Version segment used to build `graphqlUrl`. Any version is accepted on requests. Default `2026-04`. */
  apiVersion?: string;
}

export interface FakeOrderLineItemSeed {
  /** e.g. `gid://shopify/LineItem/1` */
  id: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface FakeOrderSeed {
  /** e.g. `gid://shopify/Order/1001` */
  id: string;
  /** ISO 4217 code, e.g. `EUR`. */
  currency: string;
  lineItems: FakeOrderLineItemSeed[];
  shippingMinor?: number;
  taxMinor?: number;
  /** The order's customer, e.g. `gid://shopify/Customer/7`; absent for a guest checkout. */
  customerId?: string;
}

export interface FakeOrderState {
  id: string;
  currency: string;
  lineItems: FakeOrderLineItemSeed[];
  shippingMinor: number;
  taxMinor: number;
  /** lines + shipping + tax */
  paidMinor: number;
  refundedMinor: number;
  shippingRefundedMinor: number;
  /** lineItemId → quantity refunded so far */
  refundedQuantities: Record<string, number>;
}

export interface RecordedRefundLine {
  lineItemId: string;
  quantity: number;
  restockType?: string;
  /** quantity × unit price */
  subtotalMinor: number;
}

export interface RecordedRefundTransaction {
  orderId: string;
  gateway: string;
  kind: string;
  amountMinor: number;
  parentId?: string;
}

export interface RecordedRefund {
  /** `gid://shopify/Refund/N` */
  id: string;
  /** The idempotency key the refund was created with. */
  key: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  lines: RecordedRefundLine[];
  shippingMinor: number;
  transactions: RecordedRefundTransaction[];
  note?: string;
  notify?: boolean;
  createdAt: Date;
}

/** A store credit account credit actually made (replays do not add entries). */
export interface RecordedStoreCredit {
  /** `gid://shopify/StoreCreditAccountCreditTransaction/N` */
  id: string;
  key: string;
  accountId: string;
  customerId: string;
  amountMinor: number;
  currency: string;
  createdAt: Date;
}

/** A gift card actually created (replays do not add entries). */
export interface RecordedGiftCard {
  /** `gid://shopify/GiftCard/N` */
  id: string;
  key: string;
  code: string;
  amountMinor: number;
  currency: string;
  customerId?: string;
  note?: string;
  createdAt: Date;
}

export type ShopifyRequestOutcome =
  | 'pending'
  | 'not-found'
  | 'method-not-allowed'
  | 'injected-failure'
  | 'unauthorized'
  | 'throttled'
  | 'bad-request'
  | 'graphql-error'
  | 'idempotency-mismatch'
  | 'idempotency-concurrent'
  | 'refund-created'
  | 'store-credit-created'
  | 'gift-card-created'
  | 'query'
  | 'user-errors'
  | 'replayed';

export interface RecordedShopifyRequest {
  method: string;
  /** Path including the query string. */
  path: string;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Raw request body. */
  body: string;
  /** Parsed JSON body, `undefined` if not JSON. */
  json: unknown;
  receivedAt: Date;
  /** What the fake did with the request (set once handled). */
  outcome: ShopifyRequestOutcome;
  /** HTTP status sent, `undefined` if the response was dropped (timeoutAfterSuccessNext). */
  status?: number;
  /** True if the response was deliberately never delivered (timeoutAfterSuccessNext). */
  dropped: boolean;
  /** The idempotency key parsed from the request, if any. */
  idempotencyKey?: string;
}

export interface TimeoutAfterSuccessOptions {
  /**
   * Destroy the socket this many ms after the work is done, without answering. Default 100.
   * Pass `Infinity` to hang until the client gives up or `stop()` is called.
   */
  destroyAfterMs?: number;
  /** Only drop answers of calls that create something (a refund, a credit, a gift card: first calls), never replays. */
  newRefundsOnly?: boolean;
}

export interface ShopifyGraphQLError {
  message: string;
  extensions?: Record<string, unknown>;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
}

export interface ShopifyUserError {
  field: string[] | null;
  message: string;
}

/** GraphQL error codes used by the fake (exported so tests/clients do not hard-code strings). */
export const FAKE_SHOPIFY_ERROR_CODES = {
  missingDirective: 'BAD_REQUEST',
  throttled: 'THROTTLED',
  keyMismatch: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH',
  concurrent: 'IDEMPOTENCY_CONCURRENT_REQUEST',
  unsupported: 'UNSUPPORTED_BY_FAKE',
} as const;

export const SHOPIFY_INVALID_TOKEN_MESSAGE =
  '[API] Invalid API key or access token (unrecognized login or wrong password)';

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

interface InternalOrder {
  seed: FakeOrderSeed;
  shippingMinor: number;
  taxMinor: number;
  paidMinor: number;
  refundedMinor: number;
  shippingRefundedMinor: number;
  refundedQuantities: Map<string, number>;
}

interface IdempotencyEntry {
  fingerprint: string;
  state: 'in-progress' | 'done';
  responseBody?: string;
}

/** Thrown while coercing variables; becomes a top-level GraphQL error like Shopify's. */
class VariableError extends Error {
  constructor(
    readonly variable: string,
    readonly value: unknown,
    readonly path: string[],
    readonly explanation: string,
  ) {
    super(
      `Variable $${variable} of type RefundInput! was provided invalid value` +
        (path.length ? ` for ${path.join('.')}` : '') +
        ` (${explanation})`,
    );
  }
}

const ORDER_TRANSACTION_KINDS = new Set([
  'AUTHORIZATION', 'CAPTURE', 'CHANGE', 'EMV_AUTHORIZATION', 'REFUND', 'SALE', 'SUGGESTED_REFUND', 'VOID',
]);

interface ParsedInput {
  orderId: string;
  note?: string;
  notify?: boolean;
  currency?: string;
  refundLineItems: { lineItemId: string; quantity: number; restockType?: string }[];
  shipping?: { amount?: string; fullRefund?: boolean };
  transactions: { orderId: string; gateway: string; kind: string; amount: string; parentId?: string }[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function parseInput(variable: string, raw: unknown): ParsedInput {
  const err = (path: string[], explanation: string): VariableError => new VariableError(variable, raw, path, explanation);
  if (!isRecord(raw)) throw err([], 'Expected value to be an object');
  const str = (v: unknown, path: string[], required: boolean): string | undefined => {
    if (v === undefined || v === null) {
      if (required) throw err(path, 'Expected value to not be null');
      return undefined;
    }
    if (typeof v !== 'string') throw err(path, 'Could not coerce value to String');
    return v;
  };
  const decimal = (v: unknown, path: string[], required: boolean): string | undefined => {
    if (v === undefined || v === null) {
      if (required) throw err(path, 'Expected value to not be null');
      return undefined;
    }
    if (typeof v !== 'string') {
      throw err(path, `Decimal must be sent as a string (FakeShopify is strict), got ${JSON.stringify(v)}`);
    }
    if (!/^-?\d+(\.\d+)?$/.test(v.trim())) throw err(path, `Could not coerce value ${JSON.stringify(v)} to Decimal`);
    return v.trim();
  };
  const bool = (v: unknown, path: string[]): boolean | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw err(path, 'Could not coerce value to Boolean');
    return v;
  };

  const orderId = str(raw['orderId'], ['orderId'], true) as string;
  const currency = str(raw['currency'], ['currency'], false);
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
    throw err(['currency'], `Expected "${currency}" to be one of: CurrencyCode values`);
  }

  const refundLineItems: ParsedInput['refundLineItems'] = [];
  const rawLines = raw['refundLineItems'];
  if (rawLines !== undefined && rawLines !== null) {
    if (!Array.isArray(rawLines)) throw err(['refundLineItems'], 'Expected value to be a list');
    rawLines.forEach((l: unknown, i: number) => {
      const p = ['refundLineItems', String(i)];
      if (!isRecord(l)) throw err(p, 'Expected value to be an object');
      const lineItemId = str(l['lineItemId'], [...p, 'lineItemId'], true) as string;
      const q = l['quantity'];
      if (typeof q !== 'number' || !Number.isInteger(q)) throw err([...p, 'quantity'], 'Could not coerce value to Int');
      const restockType = str(l['restockType'], [...p, 'restockType'], false);
      if (restockType !== undefined && !['CANCEL', 'LEGACY_RESTOCK', 'NO_RESTOCK', 'RETURN'].includes(restockType)) {
        throw err([...p, 'restockType'], `Expected "${restockType}" to be one of: CANCEL, LEGACY_RESTOCK, NO_RESTOCK, RETURN`);
      }
      refundLineItems.push({ lineItemId, quantity: q, ...(restockType !== undefined ? { restockType } : {}) });
    });
  }

  let shipping: ParsedInput['shipping'];
  const rawShipping = raw['shipping'];
  if (rawShipping !== undefined && rawShipping !== null) {
    if (!isRecord(rawShipping)) throw err(['shipping'], 'Expected value to be an object');
    const amount = decimal(rawShipping['amount'], ['shipping', 'amount'], false);
    const fullRefund = bool(rawShipping['fullRefund'], ['shipping', 'fullRefund']);
    shipping = {
      ...(amount !== undefined ? { amount } : {}),
      ...(fullRefund !== undefined ? { fullRefund } : {}),
    };
  }

  const transactions: ParsedInput['transactions'] = [];
  const rawTx = raw['transactions'];
  if (rawTx !== undefined && rawTx !== null) {
    if (!Array.isArray(rawTx)) throw err(['transactions'], 'Expected value to be a list');
    rawTx.forEach((t: unknown, i: number) => {
      const p = ['transactions', String(i)];
      if (!isRecord(t)) throw err(p, 'Expected value to be an object');
      const txOrderId = str(t['orderId'], [...p, 'orderId'], true) as string;
      const gateway = str(t['gateway'], [...p, 'gateway'], true) as string;
      const kind = str(t['kind'], [...p, 'kind'], true) as string;
      if (!ORDER_TRANSACTION_KINDS.has(kind)) {
        throw err([...p, 'kind'], `Expected "${kind}" to be one of: ${[...ORDER_TRANSACTION_KINDS].join(', ')}`);
      }
      const amount = decimal(t['amount'], [...p, 'amount'], true) as string;
      const parentId = str(t['parentId'], [...p, 'parentId'], false);
      transactions.push({ orderId: txOrderId, gateway, kind, amount, ...(parentId !== undefined ? { parentId } : {}) });
    });
  }

  const note = str(raw['note'], ['note'], false);
  const notify = bool(raw['notify'], ['notify']);
  return {
    orderId,
    refundLineItems,
    transactions,
    ...(note !== undefined ? { note } : {}),
    ...(notify !== undefined ? { notify } : {}),
    ...(currency !== undefined ? { currency } : {}),
    ...(shipping !== undefined ? { shipping } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// FakeShopify
// ---------------------------------------------------------------------------------------------

interface CreditInput {
  creditAmount: { amount: string; currencyCode: string };
  expiresAt?: string;
}

interface GiftCardInput {
  initialValue: string;
  customerId?: string;
  note?: string;
  code?: string;
}

/** StoreCreditAccountCreditInput!: creditAmount { amount: Decimal (a string), currencyCode }. Returns [variable, problem] when invalid. */
function checkCreditInput(v: unknown): [string, string] | undefined {
  if (!isRecord(v)) return ['creditInput', 'Expected value to not be null'];
  const m = v['creditAmount'];
  if (!isRecord(m)) return ['creditInput', 'creditAmount: Expected value to not be null'];
  if (typeof m['amount'] !== 'string' || !/^-?\d+(\.\d+)?$/.test(m['amount'])) return ['creditInput', 'creditAmount.amount: invalid Decimal (send a string)'];
  if (typeof m['currencyCode'] !== 'string' || !/^[A-Z]{3}$/.test(m['currencyCode'])) return ['creditInput', 'creditAmount.currencyCode: invalid CurrencyCode'];
  return undefined;
}

/** GiftCardCreateInput!: initialValue Decimal (a string), optional customerId, note, code. */
function checkGiftCardInput(v: unknown): [string, string] | undefined {
  if (!isRecord(v)) return ['input', 'Expected value to not be null'];
  if (typeof v['initialValue'] !== 'string' || !/^-?\d+(\.\d+)?$/.test(v['initialValue'])) return ['input', 'initialValue: invalid Decimal (send a string)'];
  for (const f of ['customerId', 'note', 'code']) if (v[f] !== undefined && v[f] !== null && typeof v[f] !== 'string') return ['input', `${f}: expected a String`];
  return undefined;
}

export class FakeShopify {
  /** Every request received, in order (including rejected and injected-failure ones). */
  readonly requests: RecordedShopifyRequest[] = [];
  /** Every refund actually created (replays do not add entries). */
  readonly refunds: RecordedRefund[] = [];
  /** Every store credit account credit actually made. */
  readonly storeCredits: RecordedStoreCredit[] = [];
  /** Every gift card actually created. */
  readonly giftCards: RecordedGiftCard[] = [];
  /** Whether the shop has store credit turned on (else storeCreditAccountCredit answers a userError). */
  storeCreditEnabled: boolean;
  readonly shopCurrency: string;
  /**
   * Delay (ms) before a refundCreate is executed. While delayed, the idempotency key is
   * "in progress", so a concurrent request with the same key gets IDEMPOTENCY_CONCURRENT_REQUEST.
   */
  responseDelayMs = 0;

  readonly accessToken: string;
  readonly apiVersion: string;

  private server: http.Server | undefined;
  private port: number | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly orders = new Map<string, InternalOrder>();
  private readonly idempotency = new Map<string, IdempotencyEntry>();
  private refundSeq = 0;
  private creditSeq = 0;
  /** owner gid + currency → account gid and balance */
  private readonly accounts = new Map<string, { id: string; balanceMinor: number }>();
  private failQueue: number[] = [];
  private throttleCount = 0;
  private dropQueue: { ms: number; newRefundsOnly: boolean }[] = [];

  constructor(opts: FakeShopifyOptions = {}) {
    this.accessToken = opts.accessToken ?? 'shpat_fake_token';
    this.apiVersion = opts.apiVersion ?? '2026-04';
    this.shopCurrency = (opts.shopCurrency ?? 'EUR').toUpperCase();
    this.storeCreditEnabled = opts.storeCreditEnabled ?? true;
  }

  // ----- lifecycle -----

  /** Listens on 127.0.0.1, on `port` (0 = any free port). */
  async start(port = 0): Promise<this> {
    if (this.server) return this;
    const server = http.createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    if (this.port === undefined) throw new Error('FakeShopify not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** `http://127.0.0.1:PORT/admin/api/{apiVersion}/graphql.json` */
  get graphqlUrl(): string {
    return `${this.url}/admin/api/${this.apiVersion}/graphql.json`;
  }

  // ----- seeding & inspection -----

  addOrder(seed: FakeOrderSeed): FakeOrderState {
    const shippingMinor = seed.shippingMinor ?? 0;
    const taxMinor = seed.taxMinor ?? 0;
    const lines = seed.lineItems.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
    this.orders.set(seed.id, {
      seed: { ...seed, currency: seed.currency.toUpperCase(), lineItems: seed.lineItems.map((l) => ({ ...l })) },
      shippingMinor,
      taxMinor,
      paidMinor: lines + shippingMinor + taxMinor,
      refundedMinor: 0,
      shippingRefundedMinor: 0,
      refundedQuantities: new Map(),
    });
    return this.order(seed.id) as FakeOrderState;
  }

  /** Snapshot of an order's state, `undefined` if not seeded. */
  order(orderId: string): FakeOrderState | undefined {
    const o = this.orders.get(orderId);
    if (!o) return undefined;
    return {
      id: o.seed.id,
      currency: o.seed.currency,
      lineItems: o.seed.lineItems.map((l) => ({ ...l })),
      shippingMinor: o.shippingMinor,
      taxMinor: o.taxMinor,
      paidMinor: o.paidMinor,
      refundedMinor: o.refundedMinor,
      shippingRefundedMinor: o.shippingRefundedMinor,
      refundedQuantities: Object.fromEntries(o.refundedQuantities),
    };
  }

  /** Total refunded so far on an order, in minor units (0 for unknown orders). */
  refundedMinor(orderId: string): number {
    return this.orders.get(orderId)?.refundedMinor ?? 0;
  }

  /** Requests whose parsed body contained a refundCreate mutation. */
  get refundCreateRequests(): RecordedShopifyRequest[] {
    return this.requests.filter((r) => {
      const j = r.json;
      return isRecord(j) && typeof j['query'] === 'string' && /\brefundCreate\b/.test(j['query']);
    });
  }

  /** Requests whose parsed body contained a storeCreditAccountCredit mutation. */
  get storeCreditRequests(): RecordedShopifyRequest[] {
    return this.requests.filter((r) => isRecord(r.json) && typeof r.json['query'] === 'string' && /\bstoreCreditAccountCredit\b/.test(r.json['query']));
  }

  /** Requests whose parsed body contained a giftCardCreate mutation. */
  get giftCardRequests(): RecordedShopifyRequest[] {
    return this.requests.filter((r) => isRecord(r.json) && typeof r.json['query'] === 'string' && /\bgiftCardCreate\b/.test(r.json['query']));
  }

  /** A customer's store credit balance in a currency (0 when it has no account). */
  storeCreditBalanceMinor(customerId: string, currency: string): number {
    return this.accounts.get(`${customerId}|${currency.toUpperCase()}`)?.balanceMinor ?? 0;
  }

  /** Clears orders, refunds, credits, gift cards, requests, idempotency keys and pending fault injections. */
  reset(): void {
    this.requests.length = 0;
    this.refunds.length = 0;
    this.storeCredits.length = 0;
    this.giftCards.length = 0;
    this.accounts.clear();
    this.orders.clear();
    this.idempotency.clear();
    this.failQueue = [];
    this.throttleCount = 0;
    this.dropQueue = [];
    this.responseDelayMs = 0;
  }

  // ----- fault injection -----

  /** The next `n` requests to the GraphQL endpoint get HTTP `status` (before auth) and have no effect. */
  failNext(n: number, status = 500): void {
    for (let i = 0; i < n; i++) this.failQueue.push(status);
  }

  /** The next `n` authenticated requests get HTTP 200 `errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }]`. */
  throttleNext(n: number): void {
    this.throttleCount += n;
  }

  /**
   * The next `n` refundCreate executions (new refunds, userErrors, or replays) are performed and
   * stored, but the response is never delivered: the socket is destroyed after `destroyAfterMs`
   * (default 100ms; `Infinity` = hang until the client gives up or `stop()`).
   */
  timeoutAfterSuccessNext(n: number, opts: TimeoutAfterSuccessOptions = {}): void {
    const ms = opts.destroyAfterMs ?? 100;
    for (let i = 0; i < n; i++) this.dropQueue.push({ ms, newRefundsOnly: opts.newRefundsOnly ?? false });
  }

  // ----- HTTP handling -----

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = undefined;
      try {
        json = body.length ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const record: RecordedShopifyRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: flattenHeaders(req.headers),
        body,
        json,
        receivedAt: new Date(),
        outcome: 'pending',
        dropped: false,
      };
      this.requests.push(record);
      this.route(req, res, record).catch((e: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          this.send(res, record, 500, { errors: `FakeShopify internal error: ${String(e)}` }, 'bad-request');
        }
      });
    });
  }

  private send(
    res: http.ServerResponse,
    record: RecordedShopifyRequest,
    status: number,
    payload: unknown,
    outcome: ShopifyRequestOutcome,
    rawBody?: string,
  ): void {
    record.outcome = outcome;
    record.status = status;
    const text = rawBody ?? JSON.stringify(payload);
    const versionMatch = /^\/admin\/api\/([^/]+)\//.exec(record.path);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'x-request-id': randomUUID(),
      ...(versionMatch ? { 'x-shopify-api-version': versionMatch[1] } : {}),
    });
    res.end(text);
  }

  private graphqlErrors(errors: ShopifyGraphQLError[]): Record<string, unknown> {
    return { errors };
  }

  private costExtensions(): Record<string, unknown> {
    return {
      cost: {
        requestedQueryCost: 10,
        actualQueryCost: 10,
        throttleStatus: { maximumAvailable: 2000.0, currentlyAvailable: 1990, restoreRate: 100.0 },
      },
    };
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse, record: RecordedShopifyRequest): Promise<void> {
    const pathname = (record.path.split('?')[0] ?? '').replace(/\/+$/, '');
    if (!/^\/admin\/api\/[^/]+\/graphql\.json$/.test(pathname)) {
      return this.send(res, record, 404, { errors: 'Not Found' }, 'not-found');
    }
    if (req.method !== 'POST') {
      return this.send(res, record, 405, { errors: 'Method Not Allowed' }, 'method-not-allowed');
    }
    const injected = this.failQueue.shift();
    if (injected !== undefined) {
      return this.send(res, record, injected, { errors: http.STATUS_CODES[injected] ?? 'Error' }, 'injected-failure');
    }
    if (record.headers['x-shopify-access-token'] !== this.accessToken) {
      return this.send(res, record, 401, { errors: SHOPIFY_INVALID_TOKEN_MESSAGE }, 'unauthorized');
    }
    if (this.throttleCount > 0) {
      this.throttleCount--;
      return this.send(
        res,
        record,
        200,
        {
          errors: [
            {
              message: 'Throttled',
              extensions: { code: FAKE_SHOPIFY_ERROR_CODES.throttled, documentation: 'https://shopify.dev/api/usage/rate-limits' },
            },
          ],
          extensions: {
            cost: {
              requestedQueryCost: 10,
              actualQueryCost: null,
              throttleStatus: { maximumAvailable: 2000.0, currentlyAvailable: 0, restoreRate: 100.0 },
            },
          },
        },
        'throttled',
      );
    }
    const json = record.json;
    if (!isRecord(json) || typeof json['query'] !== 'string') {
      return this.send(res, record, 400, { errors: { query: 'Required parameter missing or invalid' } }, 'bad-request');
    }
    const query = json['query'];
    const variables = isRecord(json['variables']) ? json['variables'] : {};
    return this.handleGraphQL(res, record, query, variables);
  }

  private async handleGraphQL(
    res: http.ServerResponse,
    record: RecordedShopifyRequest,
    query: string,
    variables: Record<string, unknown>,
  ): Promise<void> {
    const gqlError = (message: string, code: string, outcome: ShopifyRequestOutcome = 'graphql-error'): void =>
      this.send(res, record, 200, this.graphqlErrors([{ message, extensions: { code } }]), outcome);

    if (/\bstoreCreditAccountCredit\s*\(/.test(query) || /\bgiftCardCreate\s*\(/.test(query)) {
      return this.handleCreditMutation(res, record, query, variables);
    }
    if (/^\s*(#[^\n]*\n\s*)*query\b/.test(query) || /^\s*\{/.test(query)) {
      return this.handleQuery(res, record, query, variables);
    }
    const fieldMatch = /(?:(\w+)\s*:\s*)?\brefundCreate\s*\(/.exec(query);
    if (!fieldMatch) {
      return gqlError('FakeShopify only implements refundCreate, storeCreditAccountCredit, giftCardCreate and order(id:)', FAKE_SHOPIFY_ERROR_CODES.unsupported);
    }
    if (!/^\s*(#[^\n]*\n\s*)*mutation\b/.test(query)) {
      return gqlError("Field 'refundCreate' doesn't exist on type 'QueryRoot'", 'undefinedField');
    }
    const responseKey = fieldMatch[1] ?? 'refundCreate';
    const afterField = query.slice(fieldMatch.index + fieldMatch[0].length - 1);
    const argsMatch = /^\(\s*input\s*:\s*\$(\w+)\s*\)\s*((?:@\w+\s*(?:\([^)]*\))?\s*)*)\{/.exec(afterField);
    if (!argsMatch) {
      return gqlError(
        'FakeShopify requires refundCreate(input: $variable) followed by an optional directive list and a selection set',
        FAKE_SHOPIFY_ERROR_CODES.unsupported,
      );
    }
    const inputVar = argsMatch[1] as string;
    const directives = argsMatch[2] ?? '';

    // --- @idempotent(key: ...) — mandatory in 2026-04 ---
    const dir = /@idempotent\s*\(\s*key\s*:\s*(?:\$(\w+)|"((?:[^"\\]|\\.)*)")\s*\)/.exec(directives);
    if (!dir) {
      return gqlError('The @idempotent directive is required for this mutation', FAKE_SHOPIFY_ERROR_CODES.missingDirective);
    }
    let key: string | undefined;
    if (dir[1] !== undefined) {
      const v = variables[dir[1]];
      if (typeof v !== 'string') {
        return this.send(
          res,
          record,
          200,
          this.graphqlErrors([
            {
              message: `Variable $${dir[1]} of type String! was provided invalid value`,
              extensions: { value: v ?? null, problems: [{ path: [], explanation: 'Expected value to not be null' }] },
            },
          ]),
          'graphql-error',
        );
      }
      key = v;
    } else {
      key = JSON.parse(`"${dir[2] ?? ''}"`) as string;
    }
    if (key.trim() === '') {
      return gqlError('The idempotency key must not be blank', FAKE_SHOPIFY_ERROR_CODES.missingDirective);
    }
    record.idempotencyKey = key;

    // --- input coercion ---
    let input: ParsedInput;
    try {
      input = parseInput(inputVar, variables[inputVar]);
    } catch (e) {
      if (e instanceof VariableError) {
        return this.send(
          res,
          record,
          200,
          this.graphqlErrors([
            {
              message: e.message,
              locations: [{ line: 1, column: 1 }],
              extensions: { value: e.value ?? null, problems: [{ path: e.path, explanation: e.explanation }] },
            },
          ]),
          'graphql-error',
        );
      }
      throw e;
    }

    // --- idempotency ---
    const fingerprint = canonicalJson(variables[inputVar]);
    const existing = this.idempotency.get(key);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        return gqlError(
          'Idempotency key already used with different parameters',
          FAKE_SHOPIFY_ERROR_CODES.keyMismatch,
          'idempotency-mismatch',
        );
      }
      if (existing.state === 'in-progress') {
        return gqlError(
          'A request with this idempotency key is currently in progress',
          FAKE_SHOPIFY_ERROR_CODES.concurrent,
          'idempotency-concurrent',
        );
      }
      return this.finish(res, record, existing.responseBody as string, 'replayed');
    }
    const entry: IdempotencyEntry = { fingerprint, state: 'in-progress' };
    this.idempotency.set(key, entry);

    await this.respondLater();

    const { payload, created } = this.execute(input, key);
    const body = JSON.stringify({ data: { [responseKey]: payload }, extensions: this.costExtensions() });
    entry.state = 'done';
    entry.responseBody = body;
    return this.finish(res, record, body, created ? 'refund-created' : 'user-errors');
  }

  /** `query { order(id: $id) { id customer { id } } }`: the only read the orchestrator makes. */
  private handleQuery(res: http.ServerResponse, record: RecordedShopifyRequest, query: string, variables: Record<string, unknown>): void {
    const m = /\border\s*\(\s*id\s*:\s*(?:\$(\w+)|"([^"]*)")\s*\)/.exec(query);
    if (!m) {
      return this.send(res, record, 200, this.graphqlErrors([{ message: 'FakeShopify only serves order(id:) queries', extensions: { code: FAKE_SHOPIFY_ERROR_CODES.unsupported } }]), 'graphql-error');
    }
    const id = m[1] !== undefined ? variables[m[1]] : m[2];
    const o = typeof id === 'string' ? this.orders.get(id) : undefined;
    const order = o ? { id: o.seed.id, customer: o.seed.customerId ? { id: o.seed.customerId } : null } : null;
    return this.send(res, record, 200, { data: { order }, extensions: this.costExtensions() }, 'query');
  }

  /** storeCreditAccountCredit / giftCardCreate: @idempotent like refundCreate, keys kept per mutation. */
  private async handleCreditMutation(res: http.ServerResponse, record: RecordedShopifyRequest, query: string, variables: Record<string, unknown>): Promise<void> {
    const gqlError = (message: string, code: string, outcome: ShopifyRequestOutcome = 'graphql-error'): void =>
      this.send(res, record, 200, this.graphqlErrors([{ message, extensions: { code } }]), outcome);
    if (!/^\s*(#[^\n]*\n\s*)*mutation\b/.test(query)) return gqlError('Mutations must be sent as a mutation operation', 'undefinedField');
    const credit = /(?:(\w+)\s*:\s*)?\bstoreCreditAccountCredit\s*\(\s*id\s*:\s*\$(\w+)\s*,\s*creditInput\s*:\s*\$(\w+)\s*\)\s*((?:@\w+\s*(?:\([^)]*\))?\s*)*)\{/.exec(query);
    const gift = /(?:(\w+)\s*:\s*)?\bgiftCardCreate\s*\(\s*input\s*:\s*\$(\w+)\s*\)\s*((?:@\w+\s*(?:\([^)]*\))?\s*)*)\{/.exec(query);
    if (!credit && !gift) {
      return gqlError('FakeShopify requires storeCreditAccountCredit(id: $a, creditInput: $b) or giftCardCreate(input: $a) with variables', FAKE_SHOPIFY_ERROR_CODES.unsupported);
    }
    const mutation = credit ? 'storeCreditAccountCredit' : 'giftCardCreate';
    const directives = (credit ? credit[4] : gift![3]) ?? '';
    const dir = /@idempotent\s*\(\s*key\s*:\s*(?:\$(\w+)|"((?:[^"\\]|\\.)*)")\s*\)/.exec(directives);
    if (!dir) return gqlError('The @idempotent directive is required for this mutation', FAKE_SHOPIFY_ERROR_CODES.missingDirective);
    const key = dir[1] !== undefined ? variables[dir[1]] : (JSON.parse(`"${dir[2] ?? ''}"`) as string);
    if (typeof key !== 'string' || key.trim() === '') return gqlError('The idempotency key must not be blank', FAKE_SHOPIFY_ERROR_CODES.missingDirective);
    record.idempotencyKey = key;
    const args = credit ? { id: variables[credit[2]], creditInput: variables[credit[3]] } : { input: variables[gift![2]] };
    const invalid = credit ? checkCreditInput(args.creditInput) : checkGiftCardInput(args.input);
    if (invalid) {
      const [variable, explanation] = invalid;
      return this.send(res, record, 200, this.graphqlErrors([{ message: `Variable $${variable} was provided invalid value (${explanation})`, extensions: { problems: [{ path: [], explanation }] } }]), 'graphql-error');
    }

    const scoped = `${mutation}\u0000${key}`;
    const fingerprint = canonicalJson(args);
    const existing = this.idempotency.get(scoped);
    if (existing) {
      if (existing.fingerprint !== fingerprint) return gqlError('Idempotency key already used with different parameters', FAKE_SHOPIFY_ERROR_CODES.keyMismatch, 'idempotency-mismatch');
      if (existing.state === 'in-progress') return gqlError('A request with this idempotency key is currently in progress', FAKE_SHOPIFY_ERROR_CODES.concurrent, 'idempotency-concurrent');
      return this.finish(res, record, existing.responseBody as string, 'replayed');
    }
    const entry: IdempotencyEntry = { fingerprint, state: 'in-progress' };
    this.idempotency.set(scoped, entry);
    await this.respondLater();
    const { payload, outcome } = credit
      ? this.creditAccount(String(args.id), args.creditInput as CreditInput, key)
      : this.createGiftCard(args.input as GiftCardInput, key);
    const body = JSON.stringify({ data: { [(credit ? credit[1] : gift![1]) ?? mutation]: payload }, extensions: this.costExtensions() });
    entry.state = 'done';
    entry.responseBody = body;
    return this.finish(res, record, body, outcome);
  }

  private creditAccount(ownerId: string, input: CreditInput, key: string): { payload: Record<string, unknown>; outcome: ShopifyRequestOutcome } {
    const fail = (field: string[] | null, message: string, code: string | null) => ({
      payload: { storeCreditAccountTransaction: null, userErrors: [{ field, message, code }] },
      outcome: 'user-errors' as const,
    });
    if (!this.storeCreditEnabled) return fail(['id'], 'Store credit is not enabled for this shop', null);
    const currency = input.creditAmount.currencyCode.toUpperCase();
    let customerId = ownerId;
    if (/^gid:\/\/shopify\/StoreCreditAccount\//.test(ownerId)) {
      const found = [...this.accounts.entries()].find(([, a]) => a.id === ownerId);
      if (!found) return fail(['id'], 'Store credit account does not exist', 'ACCOUNT_NOT_FOUND');
      const [owner, cur] = found[0].split('|');
      if (cur !== currency) return fail(['creditInput', 'creditAmount', 'currencyCode'], 'The currency provided does not match the currency of the store credit account', 'MISMATCHING_CURRENCY');
      customerId = owner as string;
    } else if (![...this.orders.values()].some((o) => o.seed.customerId === ownerId)) {
      return fail(['id'], 'Owner does not exist', 'OWNER_NOT_FOUND');
    }
    const parsed = decimalToMinor(input.creditAmount.amount, currency);
    if ('error' in parsed) return fail(['creditInput', 'creditAmount', 'amount'], parsed.error, null);
    if (parsed.minor <= 0) return fail(['creditInput', 'creditAmount', 'amount'], 'A positive amount must be used to credit a store credit account', 'NEGATIVE_OR_ZERO_AMOUNT');
    const accountKey = `${customerId}|${currency}`;
    let account = this.accounts.get(accountKey);
    if (!account) this.accounts.set(accountKey, (account = { id: `gid://shopify/StoreCreditAccount/${5000 + this.accounts.size + 1}`, balanceMinor: 0 }));
    account.balanceMinor += parsed.minor;
    const id = `gid://shopify/StoreCreditAccountCreditTransaction/${7000 + ++this.creditSeq}`;
    this.storeCredits.push({ id, key, accountId: account.id, customerId, amountMinor: parsed.minor, currency, createdAt: new Date() });
    const money = (minor: number) => ({ amount: minorToDecimal(minor, currency), currencyCode: currency });
    return {
      payload: {
        storeCreditAccountTransaction: { id, amount: money(parsed.minor), account: { id: account.id, balance: money(account.balanceMinor) } },
        userErrors: [],
      },
      outcome: 'store-credit-created',
    };
  }

  private createGiftCard(input: GiftCardInput, key: string): { payload: Record<string, unknown>; outcome: ShopifyRequestOutcome } {
    const fail = (field: string[], message: string, code: string) => ({ payload: { giftCard: null, giftCardCode: null, userErrors: [{ field, message, code }] }, outcome: 'user-errors' as const });
    const parsed = decimalToMinor(input.initialValue, this.shopCurrency);
    if ('error' in parsed) return fail(['input', 'initialValue'], parsed.error, 'INVALID');
    if (parsed.minor <= 0) return fail(['input', 'initialValue'], 'Initial value must be greater than 0', 'GREATER_THAN');
    if (input.customerId !== undefined && ![...this.orders.values()].some((o) => o.seed.customerId === input.customerId)) {
      return fail(['input', 'customerId'], 'Customer does not exist', 'CUSTOMER_NOT_FOUND');
    }
    const n = ++this.creditSeq;
    const code = input.code ?? `FAKE${String(n).padStart(4, '0')}${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
    const id = `gid://shopify/GiftCard/${9000 + n}`;
    this.giftCards.push({ id, key, code, amountMinor: parsed.minor, currency: this.shopCurrency, customerId: input.customerId, note: input.note, createdAt: new Date() });
    const value = { amount: minorToDecimal(parsed.minor, this.shopCurrency), currencyCode: this.shopCurrency };
    return {
      payload: { giftCard: { id, maskedCode: `•••• •••• •••• ${code.slice(-4)}`, initialValue: value, balance: value, customer: input.customerId ? { id: input.customerId } : null }, giftCardCode: code, userErrors: [] },
      outcome: 'gift-card-created',
    };
  }

  /** Sends a stored GraphQL body, or drops it if a timeoutAfterSuccess injection is pending. */
  /** The configured answer delay (responseDelayMs), on a timer stop() clears. */
  private async respondLater(): Promise<void> {
    if (this.responseDelayMs <= 0) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, this.responseDelayMs);
      this.timers.add(t);
    });
  }

  private finish(res: http.ServerResponse, record: RecordedShopifyRequest, body: string, outcome: ShopifyRequestOutcome): void {
    const next = this.dropQueue[0];
    if (next === undefined || (next.newRefundsOnly && !['refund-created', 'store-credit-created', 'gift-card-created'].includes(outcome))) {
      return this.send(res, record, 200, undefined, outcome, body);
    }
    const drop = this.dropQueue.shift()!.ms;
    record.outcome = outcome;
    record.dropped = true;
    if (Number.isFinite(drop)) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        res.socket?.destroy();
      }, drop);
      this.timers.add(t);
    }
  }

  private execute(input: ParsedInput, key: string): { payload: Record<string, unknown>; created: boolean } {
    const userErrors: ShopifyUserError[] = [];
    const fail = (): { payload: Record<string, unknown>; created: boolean } => ({
      payload: { refund: null, order: null, userErrors },
      created: false,
    });

    const order = this.orders.get(input.orderId);
    if (!order) {
      userErrors.push({ field: ['orderId'], message: 'Order does not exist' });
      return fail();
    }
    const currency = order.seed.currency;
    if (input.currency !== undefined && input.currency !== currency) {
      userErrors.push({ field: ['currency'], message: `Currency ${input.currency} does not match the order currency ${currency}` });
    }

    // lines
    const lines: RecordedRefundLine[] = [];
    const requestedQty = new Map<string, number>();
    input.refundLineItems.forEach((l, i) => {
      const li = order.seed.lineItems.find((x) => x.id === l.lineItemId);
      if (!li) {
        userErrors.push({ field: ['refundLineItems', String(i), 'lineItemId'], message: 'Line item does not exist' });
        return;
      }
      if (l.quantity <= 0) {
        userErrors.push({ field: ['refundLineItems', String(i), 'quantity'], message: 'Quantity must be greater than 0' });
        return;
      }
      const already = order.refundedQuantities.get(li.id) ?? 0;
      const soFar = (requestedQty.get(li.id) ?? 0) + l.quantity;
      requestedQty.set(li.id, soFar);
      if (already + soFar > li.quantity) {
        userErrors.push({
          field: ['refundLineItems', String(i), 'quantity'],
          message: `Quantity cannot refund more items than were purchased (${li.quantity - already} remaining)`,
        });
        return;
      }
      lines.push({
        lineItemId: li.id,
        quantity: l.quantity,
        ...(l.restockType !== undefined ? { restockType: l.restockType } : {}),
        subtotalMinor: l.quantity * li.unitPriceMinor,
      });
    });

    // shipping
    let shippingMinor = 0;
    const shippingRemaining = order.shippingMinor - order.shippingRefundedMinor;
    if (input.shipping) {
      if (input.shipping.fullRefund) {
        shippingMinor = shippingRemaining;
      } else if (input.shipping.amount !== undefined) {
        const parsed = decimalToMinor(input.shipping.amount, currency);
        if ('error' in parsed) {
          userErrors.push({ field: ['shipping', 'amount'], message: parsed.error });
        } else if (parsed.minor > shippingRemaining) {
          userErrors.push({ field: ['shipping', 'amount'], message: 'Shipping refund amount exceeds the refundable shipping amount' });
        } else {
          shippingMinor = parsed.minor;
        }
      }
    }

    // transactions
    const transactions: RecordedRefundTransaction[] = [];
    input.transactions.forEach((t, i) => {
      const p = ['transactions', String(i)];
      if (t.orderId !== input.orderId) {
        userErrors.push({ field: [...p, 'orderId'], message: 'Transaction does not belong to this order' });
      }
      if (t.kind !== 'REFUND') {
        userErrors.push({ field: [...p, 'kind'], message: 'Transaction kind must be REFUND' });
      }
      const parsed = decimalToMinor(t.amount, currency);
      if ('error' in parsed) {
        userErrors.push({ field: [...p, 'amount'], message: parsed.error });
        return;
      }
      if (parsed.minor <= 0) {
        userErrors.push({ field: [...p, 'amount'], message: 'Amount must be greater than 0' });
        return;
      }
      transactions.push({
        orderId: t.orderId,
        gateway: t.gateway,
        kind: t.kind,
        amountMinor: parsed.minor,
        ...(t.parentId !== undefined ? { parentId: t.parentId } : {}),
      });
    });
    if (userErrors.length) return fail();

    const amountMinor =
      input.transactions.length > 0
        ? transactions.reduce((s, t) => s + t.amountMinor, 0)
        : lines.reduce((s, l) => s + l.subtotalMinor, 0) + shippingMinor;
    const refundable = order.paidMinor - order.refundedMinor;
    if (amountMinor > refundable) {
      userErrors.push({
        field: input.transactions.length > 0 ? ['transactions', '0', 'amount'] : ['refundLineItems'],
        message: 'Refund amount exceeds the refundable amount',
      });
      return fail();
    }

    // commit
    for (const l of lines) {
      order.refundedQuantities.set(l.lineItemId, (order.refundedQuantities.get(l.lineItemId) ?? 0) + l.quantity);
    }
    order.shippingRefundedMinor += shippingMinor;
    order.refundedMinor += amountMinor;
    const id = `gid://shopify/Refund/${1000 + ++this.refundSeq}`;
    this.refunds.push({
      id,
      key,
      orderId: input.orderId,
      amountMinor,
      currency,
      lines,
      shippingMinor,
      transactions,
      ...(input.note !== undefined ? { note: input.note } : {}),
      ...(input.notify !== undefined ? { notify: input.notify } : {}),
      createdAt: new Date(),
    });
    const money = { amount: minorToDecimal(amountMinor, currency), currencyCode: currency };
    return {
      payload: {
        refund: { id, totalRefundedSet: { shopMoney: { ...money }, presentmentMoney: { ...money } } },
        order: { id: input.orderId },
        userErrors: [],
      },
      created: true,
    };
  }
}
