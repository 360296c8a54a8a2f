import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { EnableSupplierEndpoint, Envelope, RedeliverFailedWebhooks, RedeliverWebhook, RemindSupplier, RequestSupplierAction, Topics, WithdrawSupplierRequest } from '@app/contracts';
import { HandlerContext, Messaging, PermanentMessageError, TaskScheduler } from '@app/platform';
import { DeliverWebhook, WEBHOOK_QUEUE } from './delivery/deliver-webhook';
import { WebhookOps } from './endpoints/endpoint-ops';
import { AcceptSupplierCommand } from './requests/accept-supplier-command';

/** The suppliers service's adapters: one Kafka consumer for supplier.commands, one task queue for deliveries. */
@Injectable()
export class SupplierCommandsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly tasks: TaskScheduler,
    private readonly accept: AcceptSupplierCommand,
    private readonly ops: WebhookOps,
    private readonly deliver: DeliverWebhook,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({ group: 'suppliers', topics: [Topics.SupplierCommands], handle: (env, ctx) => this.handle(env, ctx) });
    this.tasks.handle(WEBHOOK_QUEUE, (task) => this.deliver.execute(task));
  }

  private handle(env: Envelope<object>, { manager: m }: HandlerContext): Promise<void> {
    switch (env.type) {
      case 'RequestSupplierAction': return this.accept.request(m, env as Envelope<RequestSupplierAction>);
      case 'RemindSupplier': return this.accept.remind(m, env as Envelope<RemindSupplier>);
      case 'WithdrawSupplierRequest': return this.accept.withdraw(m, env as Envelope<WithdrawSupplierRequest>);
      case 'RedeliverWebhook': return this.ops.redeliverOne(m, env as Envelope<RedeliverWebhook>);
      case 'RedeliverFailedWebhooks': return this.ops.redeliverFailed(m, env as Envelope<RedeliverFailedWebhooks>);
      case 'EnableSupplierEndpoint': return this.ops.enable(m, env as Envelope<EnableSupplierEndpoint>);
      default: throw new PermanentMessageError(`suppliers: no handler for ${env.type}`);
    }
  }
}

@Module({ providers: [SupplierCommandsConsumer, AcceptSupplierCommand, WebhookOps, DeliverWebhook] })
export class SuppliersModule {}
