import { EventTypes, type EventType } from '@app/contracts';
import { toMermaid } from '../domain/engine';
import { sagaDefinitions } from './index';

/** How to read a case of each type, from intake to its end. Kept next to the tables it describes. */
const WALKTHROUGHS: Record<EventType, string> = {
  DAMAGED: `Broken in transit. The customer hears the claim was received and the supplier gets a signed credit request with the photo evidence (\`requestSupplier\`, with its SLA timer: the supplier policy's \`sla\`, an ISO 8601 duration such as \`PT15M\`, else \`slaHours\`).
With refund timing \`IMMEDIATE\` the refund goes out at once (\`REFUNDING\`, then \`AWAITING_RECOVERY\` until the supplier answers); otherwise the case waits in \`AWAITING_SUPPLIER\`.
\`APPROVED\` / \`PARTIALLY_APPROVED\` lead to the customer's remedy (refund → \`REFUNDING\` → \`COMPLETED\`; store credit → \`COMPLETED\`); \`REPLACEMENT_SHIPPED\` completes with the tracking number.
\`NEEDS_EVIDENCE\` parks the case in \`AWAITING_EVIDENCE\` until an \`EVIDENCE_ADDED\` event, then the request is sent again under a new id; if the supplier's claim window (\`claimWindowDays\` after delivery) would close first, the \`SUPPLIER_CLAIM_WINDOW\` timer escalates the case a day before. Every claim-based type below does the same.
\`REJECTED\` escalates (refunding anyway under the tenant's auto-approve limit); no answer by the SLA sends one reminder, then escalates.`,

  WRONG_ITEM: `The supplier sent the wrong product, size, colour or quantity. The first e-mail is an apology (\`WRONG_ITEM_APOLOGY\`) saying what happens next, whether to keep the wrong item (kept unless the supplier's \`returnRequiredFor\` lists WRONG_ITEM) and the tenant's \`wrongItemDiscountCode\`.
Resolution \`REPLACEMENT\`: the supplier gets a RESHIP request at its own cost (no credit is booked) and the case waits in \`AWAITING_REPLACEMENT\`; \`REPLACEMENT_SHIPPED\` (or an approval) tells the customer it shipped and completes. If the supplier wants the wrong item back, the return label or address from its answer goes to the customer (\`RETURN_INSTRUCTIONS\`).
Resolution \`REFUND\` / \`STORE_CREDIT\`: a credit request and the same path as DAMAGED (refund timing, recovery, escalation).
Rejected reship → \`ESCALATED\` with the reason and a "we are reviewing" e-mail; silence past the SLA → reminder, then \`ESCALATED\`.`,

  LOST: `The carrier lost the parcel. After the claim-received e-mail the case waits in \`AWAITING_CARRIER\`: a carrier event \`ORDER_LOST\` (POST /returns/:id/events) declares it lost, and so does tracking staying silent for the tenant's \`lostAfterSilent\` (an ISO 8601 duration, e.g. \`PT30M\` in staging) or \`lostAfterSilentDays\` (the persisted \`TRACKING_SILENT\` timer). \`ORDER_DELIVERED\` first closes the case as \`DELIVERED\`.
Once lost, the customer is made whole at once, whatever the usual refund timing, and told so (\`ORDER_LOST\`): \`REPLACEMENT\` sends a RESHIP request (\`AWAITING_REPLACEMENT\` until it ships); \`REFUND\` pays immediately (\`REFUNDING\`) and \`STORE_CREDIT\` credits immediately, each with a credit request to the supplier, recovered in \`AWAITING_RECOVERY\`.
There is no return leg. A rejected credit escalates without bothering the customer (already made whole); a parcel delivered after it was declared lost raises an ops alert.`,

  QUALITY_ISSUE: `Not as described, poor quality or a defect. The supplier gets a credit (RMA) request.
When the supplier's policy wants the item back (\`returnRequiredFor\`), its \`APPROVED\` answer carries the return label, address or RMA number; the customer gets \`RETURN_INSTRUCTIONS\` and the case waits in \`AWAITING_RETURN\` with a \`PARCEL_DEADLINE\` timer set to the tenant's \`parcelDeadline\` (ISO 8601 duration; 30 days when unset). Carrier and warehouse scans arrive through POST /returns/:id/events: \`RETURN_IN_TRANSIT\` and \`RETURN_RECEIVED\` each e-mail the customer.
On arrival the remedy follows: refund (\`REFUNDING\` → \`COMPLETED\`), store credit, or a RESHIP request for a replacement. The supplier's approval of a return-required claim only authorises the return, so the refund waits for the parcel (\`ON_SUPPLIER_APPROVAL\` and \`ON_RETURN_RECEIVED\` alike); only \`IMMEDIATE\` pays first, and the case still waits for the item.
No parcel by the deadline closes the case as \`ABANDONED\` without a refund; a parcel still in transit at the deadline goes to ops instead.
Without a return requirement the claim is credited on evidence, exactly like DAMAGED. A restocking fee (\`restockingFeeMinor\`) is only withheld for a non-defect (\`defect: false\`), never for a defect.`,

  LATE_DELIVERY: `Past the promised date. At once the customer gets \`NEW_ETA\` with the new expected date and the tenant's goodwill: \`PERCENT\` issues a partial refund (purpose GOODWILL, capped by what is still refundable) and names it; \`DISCOUNT_CODE\` puts the code in the e-mail. The case waits in \`AWAITING_DELIVERY\`.
\`ORDER_DELIVERED\` closes it as \`DELIVERED\`. A \`CUSTOMER_CANCEL_REQUESTED\` event past \`lateCancelThresholdDays\` sends a CANCEL request to the supplier (\`CANCELLING\`); a request made earlier is remembered and acted on when the \`LATE_CANCEL_THRESHOLD\` timer fires.
The supplier's approval triggers the full refund (purpose CANCEL_REFUND, less goodwill already refunded) and \`COMPLETED\`; a rejection, silence past the SLA (after one reminder) or an unreachable endpoint escalates.`,
};

const COMMON = `Every type shares these rows (\`definitions/common.ts\`): from any open state ops can \`OpsResolve\` (→ \`RESOLVED\`, feedback scheduled) or \`OpsCancel\` (→ \`CANCELLED\`); both stop the case's timers, and a refund already paid stays paid (the refund is the pivot). A few days after \`COMPLETED\` or \`RESOLVED\` the \`FEEDBACK\` timer sends the feedback request.
Paying the customer — a cash refund (\`refundCreate\`), store credit (\`storeCreditAccountCredit\`, or a gift card where the shop has no store credit) or goodwill — goes through the refunds service exactly once per purpose, and the case waits for it in \`REFUNDING\`. Store credit follows the tenant's refund timing like a refund (\`creditImmediately\` for \`IMMEDIATE\`). A payment of nothing (e.g. a 100% restocking fee) is done at once: booked as issued with a zero ledger row, and \`RefundIssued\` is raised in the same step, so the case moves on. A restocking fee kept back is booked as \`RESTOCKING_FEE\` when the payment it was kept from is issued.
No state waits for something that will never come: \`dead-waits.spec.ts\` generates cases at the edges (zero prices, a 100% fee, nothing left to refund) and random answers from suppliers, the store, carriers, the clock and ops, and checks that every waiting state (\`REFUNDING\`, \`AWAITING_SUPPLIER\`, \`AWAITING_RECOVERY\`, \`AWAITING_REPLACEMENT\`, \`CANCELLING\`, \`AWAITING_EVIDENCE\`) has its effect outstanding. A supplier that reships instead of crediting after the customer was paid, or answers a cancel with a shipment, escalates to ops.
Guards appear in brackets; rows are tried top to bottom, so a guarded row wins over the unguarded fallback below it. \`a & !b\` means guard \`a\` holds and \`b\` does not.`;

/** docs/sagas.md, generated from the transition tables (scripts/gen-sagas-doc.ts writes it; a unit test keeps it current). */
export function renderSagasDoc(): string {
  const parts = [
    '# Sagas',
    '',
    '<!-- Generated by scripts/gen-sagas-doc.ts from libs/sagas/src/definitions. Do not edit by hand. -->',
    '',
    'One saga per return, declared as a transition table (`libs/sagas/src/definitions/`). Each diagram below is drawn from the table itself, so it cannot drift from the code.',
    '',
    COMMON,
  ];
  for (const type of EventTypes) {
    const def = sagaDefinitions[type];
    if (!def) continue;
    parts.push('', `## ${type} (v${def.version})`, '', WALKTHROUGHS[type], '', `Ends in: ${def.terminal.map((s) => `\`${s}\``).join(', ')}.`, '', '```mermaid', toMermaid(def), '```');
  }
  return `${parts.join('\n')}\n`;
}
