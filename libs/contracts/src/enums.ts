export const EventTypes = ['DAMAGED', 'WRONG_ITEM', 'LOST', 'QUALITY_ISSUE', 'LATE_DELIVERY'] as const;
export type EventType = (typeof EventTypes)[number];

export const Resolutions = ['REFUND', 'REPLACEMENT', 'STORE_CREDIT'] as const;
export type Resolution = (typeof Resolutions)[number];

export const RefundTimings = ['IMMEDIATE', 'ON_SUPPLIER_APPROVAL', 'ON_RETURN_RECEIVED'] as const;
export type RefundTiming = (typeof RefundTimings)[number];

export const CreditMethods = ['REFUND', 'ACCOUNT_CREDIT', 'REPLACEMENT'] as const;
export type CreditMethod = (typeof CreditMethods)[number];

export const SupplierDecisions = ['APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'NEEDS_EVIDENCE', 'REPLACEMENT_SHIPPED'] as const;
export type SupplierDecision = (typeof SupplierDecisions)[number];

export const SupplierRequestKinds = ['CREDIT', 'RESHIP', 'CANCEL'] as const;
export type SupplierRequestKind = (typeof SupplierRequestKinds)[number];

export const Locales = ['en', 'nl', 'da'] as const;
export type Locale = (typeof Locales)[number];

export const NotificationTemplates = [
  'CLAIM_RECEIVED',
  'RETURN_IN_TRANSIT',
  'RETURN_RECEIVED',
  'REFUND_ISSUED',
  'REPLACEMENT_SHIPPED',
  'STORE_CREDIT_ISSUED',
  'NEW_ETA',
  'CLAIM_ESCALATED',
  'FEEDBACK_REQUEST',
  'WRONG_ITEM_APOLOGY',
  'RETURN_INSTRUCTIONS',
  'ORDER_LOST',
] as const;
export type NotificationTemplate = (typeof NotificationTemplates)[number];
