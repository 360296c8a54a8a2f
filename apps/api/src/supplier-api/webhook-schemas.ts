import { ApiProperty } from '@nestjs/swagger';
import { WebhookEventTypes } from '@app/suppliers';
import { RequestDataDto } from './open-requests';

/** Schemas of the webhooks we send (documented in the OpenAPI components; the payloads are built in libs/suppliers). */
export class RequestWebhookDto {
  @ApiProperty({ enum: [WebhookEventTypes.CREDIT, WebhookEventTypes.RESHIP, WebhookEventTypes.CANCEL] }) type!: string;
  @ApiProperty({ format: 'date-time', description: 'when the request was made' }) timestamp!: string;
  @ApiProperty({ type: RequestDataDto }) data!: RequestDataDto;
}

export class ReminderDataDto {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ format: 'uuid' }) supplierId!: string;
  @ApiProperty({ format: 'uri' }) answerUrl!: string;
}

export class ReminderWebhookDto {
  @ApiProperty({ enum: [WebhookEventTypes.REMINDER] }) type!: string;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ type: ReminderDataDto }) data!: ReminderDataDto;
}
