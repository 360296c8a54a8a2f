import { IsISO8601, IsString, IsUUID, Length, Matches } from 'class-validator';
import { registerMessage } from '../envelope';
import { Topics } from '../topics';

/**
 * Api → suppliers: ops asked to send one webhook again (same `webhook-id`, new
 * timestamp and signature, a fresh retry schedule). Keyed by the delivery's return id.
 */
export class RedeliverWebhook {
  @IsUUID() supplierId!: string;
  @Matches(/^msg_[0-9a-f]{32}$/) deliveryId!: string;
  @IsString() @Length(1, 200) actor!: string;
}
registerMessage('RedeliverWebhook', Topics.SupplierCommands, RedeliverWebhook);

/**
 * Api → suppliers: send again every webhook to this supplier that failed at or
 * after `failedSince`. Endpoint-wide, so keyed by the supplier id (one
 * partition keeps a supplier's endpoint commands in order).
 */
export class RedeliverFailedWebhooks {
  @IsUUID() supplierId!: string;
  @IsISO8601() failedSince!: string;
  @IsString() @Length(1, 200) actor!: string;
}
registerMessage('RedeliverFailedWebhooks', Topics.SupplierCommands, RedeliverFailedWebhooks);

/** Api → suppliers: ops re-enabled a disabled endpoint; its pending webhooks resume. Keyed by the supplier id. */
export class EnableSupplierEndpoint {
  @IsUUID() supplierId!: string;
  @IsString() @Length(1, 200) actor!: string;
}
registerMessage('EnableSupplierEndpoint', Topics.SupplierCommands, EnableSupplierEndpoint);
