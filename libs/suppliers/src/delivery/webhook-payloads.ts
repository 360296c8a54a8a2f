import type { RemindSupplier, RequestSupplierAction, WithdrawSupplierRequest } from '@app/contracts';
import { toDecimalString } from '@app/returns';

/** Event types a supplier's endpoint receives (the `type` field of each payload). */
export const WebhookEventTypes = {
  CREDIT: 'rma.credit_requested',
  RESHIP: 'rma.reship_requested',
  CANCEL: 'order.cancel_requested',
  REMINDER: 'rma.reminder',
  WITHDRAWN: 'rma.withdrawn',
} as const;

/** Path of the answer endpoint for one request, relative to the api's public URL. */
export const answerPath = (requestId: string) => `/supplier-api/requests/${requestId}/answer`;

/** The `data` of a request webhook; the pull API returns the same object. */
export function requestData(cmd: RequestSupplierAction, answerUrl: string) {
  return {
    requestId: cmd.requestId,
    supplierId: cmd.supplierId,
    kind: cmd.kind,
    eventType: cmd.eventType,
    orderId: cmd.externalOrderId,
    lines: cmd.lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, lineId: l.externalLineId })),
    amount: { amountMinor: cmd.amountMinor, currency: cmd.currency, decimal: toDecimalString(cmd.amountMinor, cmd.currency) },
    evidenceUrls: cmd.evidenceUrls,
    reason: cmd.reason ?? null,
    answerBy: cmd.answerBy,
    answerUrl,
  };
}

/** Standard Webhooks payload shape: `{ type, timestamp, data }`. */
export function requestPayload(cmd: RequestSupplierAction, callbackUrl: string, now: Date) {
  return { type: WebhookEventTypes[cmd.kind], timestamp: now.toISOString(), data: requestData(cmd, callbackUrl) };
}

export function reminderPayload(cmd: RemindSupplier, callbackUrl: string, now: Date) {
  return {
    type: WebhookEventTypes.REMINDER,
    timestamp: now.toISOString(),
    data: { requestId: cmd.requestId, supplierId: cmd.supplierId, answerUrl: callbackUrl },
  };
}

/** The case was cancelled: the request `data.requestId` no longer stands (an answer is still accepted, and ignored). */
export function withdrawnPayload(cmd: WithdrawSupplierRequest, now: Date) {
  return {
    type: WebhookEventTypes.WITHDRAWN,
    timestamp: now.toISOString(),
    data: { requestId: cmd.requestId, supplierId: cmd.supplierId, reason: cmd.reason },
  };
}
