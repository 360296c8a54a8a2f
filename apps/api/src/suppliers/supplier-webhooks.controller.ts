import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ParseUuid } from '@app/platform';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, OpsCaller } from '../ops/ops-auth';
import { RotateSecretDto, RotateSigningSecret } from './rotate-secret';
import { DeliveriesQuery, RedeliverFailedDto, SupplierWebhooks } from './webhook-deliveries';

const DELIVERY_ID = /^msg_[0-9a-f]{32}$/;
const deliveryId = (id: string) => (DELIVERY_ID.test(id) ? id : 'msg_invalid');

/**
 * A supplier link's webhooks, for its tenant and ops (tenant or ops key):
 * secret rotation, endpoint health, every delivery and attempt, redelivery,
 * re-enabling a disabled endpoint. Adapters only.
 */
@ApiTags('suppliers')
@ApiBearerAuth()
@Controller('suppliers/:id')
export class SupplierWebhooksController {
  constructor(private readonly rotation: RotateSigningSecret, private readonly webhooks: SupplierWebhooks) {}

  @Post('secret/rotate')
  @ApiOperation({ summary: 'New signing secret; the old one keeps signing for overlapHours' })
  rotate(@Caller() c: OpsCaller, @Param('id', ParseUuid) id: string, @Body() dto: RotateSecretDto) {
    return this.rotation.execute(c.tenantId, id, dto);
  }

  @Get('endpoint')
  @ApiOperation({ summary: 'Endpoint health: ACTIVE or DISABLED (and why), failure streak, delivery counts, disable/enable history' })
  endpoint(@Caller() c: OpsCaller, @Param('id', ParseUuid) id: string) {
    return this.webhooks.endpoint(c.tenantId, id);
  }

  @Post('endpoint/enable')
  @HttpCode(202)
  @ApiOperation({ summary: 'Re-enable a disabled endpoint; deliveries that waited resume at once' })
  enable(@Caller() c: OpsCaller, @Param('id', ParseUuid) id: string) {
    return this.webhooks.enable(c, id);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'Webhook deliveries to this supplier, newest first' })
  deliveries(@Caller() c: OpsCaller, @Param('id', ParseUuid) id: string, @Query() q: DeliveriesQuery) {
    return this.webhooks.list(c.tenantId, id, q);
  }

  @Post('deliveries/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Redeliver every delivery that failed since a time' })
  redeliverFailed(@Caller() c: OpsCaller, @Param('id', ParseUuid) id: string, @Body() dto: RedeliverFailedDto) {
    return this.webhooks.redeliverFailed(c, id, dto.since);
  }

  @Get('deliveries/:deliveryId')
  @ApiOperation({ summary: 'One delivery: payload and every attempt (time, status, latency, error, response excerpt)' })
  delivery(@Caller() c: OpsCaller, @Param('id', ParseUuid) id: string, @Param('deliveryId') d: string) {
    return this.webhooks.detail(c.tenantId, id, deliveryId(d));
  }

  @Post('deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send one delivery again: same webhook-id, new timestamp and signature, a fresh retry schedule' })
  redeliver(@Caller() c: OpsCaller, @Param('id', ParseUuid) id: string, @Param('deliveryId') d: string) {
    return this.webhooks.redeliver(c, id, deliveryId(d));
  }
}
