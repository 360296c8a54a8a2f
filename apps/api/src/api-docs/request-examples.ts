/**
 * An example of every request body (and the objects inside them), and of the
 * supplier callback API's bodies,, shown in
 * /docs and checked against its schema by api-docs/contract.spec.ts.
 */
const SUPPLIER_ID = '9b2e4f61-0c7d-4e58-a1b3-5d6e7f809a1b';

const tenantPolicy = {
  claimWindowDays: 30, refundTiming: 'ON_SUPPLIER_APPROVAL', defaultResolution: { DAMAGED: 'REFUND', WRONG_ITEM: 'RESHIP' },
  lateGoodwill: { kind: 'PERCENT', percent: 10 }, lateCancelThresholdDays: 10, lostAfterSilentDays: 5, autoApproveBelowMinor: 1500,
  returnShippingPayer: 'CUSTOMER', feedbackAfterDays: 3,
};
const supplierPolicy = {
  returnWindowDays: 30, acceptsReturns: true, returnAddress: 'Returns dept., 12 Harbour Rd, 3011 Rotterdam, NL', evidenceRequiredFor: ['DAMAGED'],
  returnRequiredFor: ['WRONG_ITEM'], restockingFeePercent: 0, paysReturnShippingFor: ['WRONG_ITEM'], creditMethod: 'REFUND', slaHours: 48, claimLimitMinor: 50000,
};
const orderLine = { externalId: 'gid://shopify/LineItem/13020000001', sku: 'VASE-01', title: 'Ceramic vase', quantity: 1, unitPriceMinor: 2495, supplierId: SUPPLIER_ID };
const caseFilter = { eventType: ['DAMAGED'], state: ['ESCALATED'], stuck: true, open: true };

const REQUEST_ID = '3f0c2b8e-5a8d-5c2b-9f1e-7d6c5b4a3e21';
const requestLine = { sku: 'VASE-CER-01', title: 'Ceramic vase', quantity: 2, unitPriceMinor: 1999, lineId: 'gid://shopify/LineItem/13020000001' };
const amount = { amountMinor: 3998, currency: 'EUR', decimal: '39.98' };
const requestData = {
  requestId: REQUEST_ID, supplierId: SUPPLIER_ID, kind: 'CREDIT', eventType: 'DAMAGED', orderId: 'gid://shopify/Order/5512000001', lines: [requestLine], amount,
  evidenceUrls: ['https://photos.acme-shop.example/claims/8841/broken.jpg'], reason: 'Arrived broken', answerBy: '2025-06-03T10:15:00.000Z',
  answerUrl: `/supplier-api/requests/${REQUEST_ID}/answer`,
};
const requestView = { requestId: REQUEST_ID, type: 'rma.credit_requested', status: 'open', createdAt: '2025-06-01T10:15:00.312Z', answeredAt: null, data: requestData };

export const REQUEST_EXAMPLES: Record<string, unknown> = {
  StoreConnectionDto: { url: 'https://acme.myshopify.com', accessToken: 'shpat_0123456789abcdef' },
  CreateTenantDto: {
    name: 'Acme Dropship', brandName: 'Acme', senderEmail: 'care@acme.example', shopCurrency: 'EUR',
    store: { url: 'https://acme.myshopify.com', accessToken: 'shpat_0123456789abcdef' }, policy: { claimWindowDays: 30 },
  },
  LateGoodwill: { kind: 'PERCENT', percent: 10 },
  TenantPolicy: tenantPolicy,
  SupplierPolicy: supplierPolicy,
  LinkSupplierDto: { name: 'Shenzhen Goods', webhookUrl: 'https://supplier.example.com/webhooks/returns', policy: { returnWindowDays: 30, evidenceRequiredFor: ['DAMAGED'], slaHours: 48 } },
  WebhookUrlDto: { webhookUrl: 'https://supplier.example.com/webhooks/returns-v2' },
  CustomerDto: { email: 'sam@example.com', name: 'Sam Jansen' },
  OrderLineDto: orderLine,
  RegisterOrderDto: {
    externalId: 'gid://shopify/Order/5512000001', orderNumber: '#1001', currency: 'EUR', locale: 'en', customer: { email: 'sam@example.com', name: 'Sam Jansen' },
    lines: [orderLine], shippingMinor: 495, taxMinor: 0, orderedAt: '2026-11-20T09:30:00Z', promisedAt: '2026-11-25T18:00:00Z', deliveredAt: '2026-11-24T14:10:00Z',
  },
  ReturnLineDto: { externalLineId: 'gid://shopify/LineItem/13020000001', quantity: 1 },
  ReportReturnDto: {
    orderId: '4f7d0c52-1b8e-4c3a-9e2f-6a5b4c3d2e1f', eventType: 'DAMAGED', reason: 'Arrived broken', resolution: 'REFUND',
    lines: [{ externalLineId: 'gid://shopify/LineItem/13020000001', quantity: 1 }], evidenceUrls: ['https://photos.example.com/claims/8841/broken.jpg'],
  },
  TrackReturnDto: { status: 'RETURN_IN_TRANSIT', carrier: 'PostNL', trackingNumber: '3SABCD1234567', at: '2026-12-01T10:00:00Z' },
  RotateSecretDto: { overlapHours: 24 },
  RedeliverFailedDto: { since: '2026-12-01T00:00:00Z' },
  TenantTemplateDto: { subject: '{{brand}}: we received your claim for order {{orderNumber}}', body: 'Hi {{customerName}},\n\nWe received your claim about {{items}}. We will be in touch within two days.' },
  ActionReasonDto: { reason: 'store credentials fixed, refund can go through now' },
  ResolveDto: { reason: 'customer accepted a voucher by phone', outcome: 'voucher ACME-10 sent' },
  NoteDto: { text: 'Called the supplier; they will answer tomorrow.' },
  RedeliverDto: { reason: 'supplier lost the webhook', deliveryId: '3f0c2b8e-5a8d-5c2b-9f1e-7d6c5b4a3e21' },
  SupplierDecisionDto: { supplierId: SUPPLIER_ID, note: 'supplier confirmed by phone', decision: 'APPROVED', amountMinor: 2495, currency: 'EUR', rmaNumber: 'RMA-2026-0042' },
  CaseFilterDto: caseFilter,
  BatchPreviewDto: { action: 'RETRY', filter: caseFilter },
  BatchRunDto: { action: 'RETRY', filter: caseFilter, reason: 'the store is back up', expectedCount: 3 },
  FieldErrorDto: { field: 'lines.0.quantity', message: 'quantity must not be less than 1' },
  ProblemDetailsDto: {
    type: 'tag:returns-orchestrator,2026:problem:invalid', title: 'Invalid request', status: 400, detail: 'lines.0.quantity: quantity must not be less than 1',
    instance: '/orders', code: 'INVALID', errors: [{ field: 'lines.0.quantity', message: 'quantity must not be less than 1' }],
  },
  AnswerRecordedDto: { requestId: '3f0c2b8e-5a8d-5c2b-9f1e-7d6c5b4a3e21', status: 'recorded', duplicate: false, answeredAt: '2026-12-01T10:20:00.000Z' },
  ApiErrorDto: { statusCode: 401, error: 'UNAUTHENTICATED', message: 'webhook-timestamp is more than 300 s from our clock', reason: 'stale_timestamp' },
  RequestLineDto: requestLine,
  AmountDto: amount,
  RequestDataDto: requestData,
  SupplierRequestView: requestView,
  SupplierRequestsPage: { items: [requestView], nextCursor: null },
  SupplierAnswerDto: { decision: 'APPROVED', amountMinor: 3998, currency: 'EUR', rmaNumber: 'RMA-2025-0042' },
};
