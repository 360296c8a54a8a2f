import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUrl, IsUUID, Length, Min, ValidateNested } from 'class-validator';
import { EventType, EventTypes, SupplierDecision, SupplierDecisions, SupplierRequestKind, SupplierRequestKinds } from '../enums';
import { registerMessage } from '../envelope';
import { Topics } from '../topics';
import { ClaimLine } from './returns';

/** Orchestrator → suppliers: send a request (credit/RMA, reship, cancel) to a supplier by webhook. */
export class RequestSupplierAction {
  @IsUUID() sagaId!: string;
  /** Deterministic per saga step, so a redelivered command creates no second request. */
  @IsUUID() requestId!: string;
  @IsUUID() supplierId!: string;
  @IsIn(SupplierRequestKinds) kind!: SupplierRequestKind;
  @IsIn(EventTypes) eventType!: EventType;
  @IsString() externalOrderId!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ClaimLine) lines!: ClaimLine[];
  @IsInt() @Min(0) amountMinor!: number;
  @IsString() @Length(3, 3) currency!: string;
  @IsArray() @IsUrl({ require_tld: false }, { each: true }) evidenceUrls!: string[];
  @IsOptional() @IsString() reason?: string;
  @IsISO8601() answerBy!: string;
}
registerMessage('RequestSupplierAction', Topics.SupplierCommands, RequestSupplierAction);

/** Orchestrator → suppliers: the SLA passed with no answer; nudge the supplier. */
export class RemindSupplier {
  @IsUUID() sagaId!: string;
  @IsUUID() requestId!: string;
  @IsUUID() supplierId!: string;
}
registerMessage('RemindSupplier', Topics.SupplierCommands, RemindSupplier);

/** Orchestrator → suppliers: the case was cancelled; tell the supplier its open request no longer stands. */
export class WithdrawSupplierRequest {
  @IsUUID() sagaId!: string;
  @IsUUID() requestId!: string;
  @IsUUID() supplierId!: string;
  @IsString() reason!: string;
}
registerMessage('WithdrawSupplierRequest', Topics.SupplierCommands, WithdrawSupplierRequest);

/** A supplier's answer to a request, from its callback or recorded by ops. */
export class SupplierAnswered {
  @IsUUID() sagaId!: string;
  @IsUUID() requestId!: string;
  @IsUUID() supplierId!: string;
  @IsIn(SupplierDecisions) decision!: SupplierDecision;
  @IsOptional() @IsInt() @Min(0) amountMinor?: number;
  @IsOptional() @IsString() @Length(3, 3) currency?: string;
  @IsOptional() @IsString() rmaNumber?: string;
  @IsOptional() @IsUrl({ require_tld: false }) returnLabelUrl?: string;
  @IsOptional() @IsString() returnAddress?: string;
  @IsOptional() @IsString() reason?: string;
  @IsOptional() @IsString() trackingNumber?: string;
  @IsIn(['CALLBACK', 'OPS']) via!: 'CALLBACK' | 'OPS';
  @IsISO8601() answeredAt!: string;
}
registerMessage('SupplierAnswered', Topics.SupplierAnswers, SupplierAnswered);

/** Suppliers service → orchestrator: outcome of delivering a request. */
export class SupplierRequestDelivered {
  @IsUUID() sagaId!: string;
  @IsUUID() requestId!: string;
  @IsInt() @Min(1) attempts!: number;
}
registerMessage('SupplierRequestDelivered', Topics.SupplierEvents, SupplierRequestDelivered);

export class SupplierRequestFailed {
  @IsUUID() sagaId!: string;
  @IsUUID() requestId!: string;
  @IsString() reason!: string;
}
registerMessage('SupplierRequestFailed', Topics.SupplierEvents, SupplierRequestFailed);

/**
 * Suppliers service → api (ops alerts): a supplier's webhook endpoint is
 * disabled (it answered 410, or failed for days), so this return's request is
 * not delivered. Raised when the endpoint is disabled and for each delivery
 * paused on it afterwards. Keyed by the return, like every message. The
 * orchestrator passes it over: the case learns of it through SupplierRequestFailed.
 */
export class SupplierEndpointDisabled {
  @IsUUID() supplierId!: string;
  @IsString() supplierName!: string;
  @IsUUID() sagaId!: string;
  @IsUUID() requestId!: string;
  /** The webhook delivery (`msg_…`, its webhook-id) that was refused or paused. */
  @IsString() deliveryId!: string;
  @IsString() reason!: string;
  /** When the endpoint was disabled: one alert per case and disabling. */
  @IsISO8601() disabledAt!: string;
}
registerMessage('SupplierEndpointDisabled', Topics.SupplierEvents, SupplierEndpointDisabled);
