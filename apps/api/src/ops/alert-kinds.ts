import type { SupplierEndpointDisabled } from '@app/contracts';

/** Alert kind of a case held up by its supplier's disabled webhook endpoint (the other kind: STUCK). */
export const ENDPOINT_DISABLED_ALERT = 'SUPPLIER_ENDPOINT_DISABLED';

export function endpointAlertReason(p: SupplierEndpointDisabled): string {
  return `webhook endpoint of ${p.supplierName} disabled (${p.reason}): its requests are paused until it is re-enabled`;
}
