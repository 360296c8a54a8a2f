import { IsIn, IsISO8601, IsOptional, IsString, IsUUID } from 'class-validator';
import { registerMessage } from '../envelope';
import { Topics } from '../topics';

export const OpsActions = ['RETRY', 'CANCEL', 'RESOLVE', 'NOTE'] as const;
export type OpsActionKind = (typeof OpsActions)[number];

/** Api → orchestrator: an ops user steered a case. */
export class OpsActionRequested {
  @IsUUID() sagaId!: string;
  @IsIn(OpsActions) action!: OpsActionKind;
  @IsString() actor!: string;
  @IsString() reason!: string;
  @IsOptional() @IsString() outcome?: string;
  /** The audited action (ops_audit id); the same action always carries the same id. */
  @IsOptional() @IsUUID() actionId?: string;
}
registerMessage('OpsActionRequested', Topics.OpsCommands, OpsActionRequested);

/** Orchestrator → anyone watching: a saga changed state. */
export class SagaTransitioned {
  @IsUUID() sagaId!: string;
  @IsString() eventType!: string;
  @IsString() from!: string;
  @IsString() to!: string;
  @IsString() cause!: string;
  @IsISO8601() at!: string;
}
registerMessage('SagaTransitioned', Topics.SagaEvents, SagaTransitioned);
