import { Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Envelope, ReturnReported, Topics } from '@app/contracts';
import { LOGGER, Messaging, TaskQueue, TaskScheduler } from '@app/platform';
import { SAGA_TIMER_QUEUE, SagaRunner } from './saga-runner';

/** Wires the orchestrator's inputs (Kafka topics and saga timers) to the saga runner. One-line adapters. */
@Injectable()
class OrchestratorInputs implements OnModuleInit {
  constructor(
    private readonly messaging: Messaging,
    private readonly tasks: TaskScheduler,
    private readonly runner: SagaRunner,
    private readonly ds: DataSource,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.messaging.consume({
      group: 'orchestrator',
      topics: [Topics.ReturnsReported, Topics.ReturnsTracking, Topics.SupplierAnswers, Topics.SupplierEvents, Topics.RefundEvents, Topics.NotificationEvents, Topics.OpsCommands],
      handle: async (env, { manager }) => {
        if (env.type === 'ReturnReported') return this.runner.start(manager, env as Envelope<ReturnReported>);
        // An ops alert (for the api): the saga learns of the undelivered request from SupplierRequestFailed.
        if (env.type === 'SupplierEndpointDisabled') return;
        const sagaId = (env.payload as { sagaId?: string }).sagaId ?? (await this.openSagaOf(manager, env.returnId));
        await this.runner.apply(manager, sagaId, { type: env.type, payload: env.payload, messageId: env.id, correlationId: env.correlationId });
      },
    });
    this.tasks.handle(SAGA_TIMER_QUEUE, async (task) => {
      const { sagaId, timer, correlationId } = task.payload as { sagaId: string; timer: string; correlationId: string };
      await this.ds.transaction(async (m) => {
        // Completing the task and applying its event commit together: a deadline fires once.
        if (!(await TaskQueue.complete(m, task.id))) return;
        await this.runner.apply(m, sagaId, { type: 'TimerFired', payload: { timer }, correlationId });
      });
      this.messaging.nudge();
      return { kind: 'done' };
    });
  }

  private async openSagaOf(m: import('typeorm').EntityManager, returnId: string): Promise<string> {
    const rows = await m.query(`SELECT id FROM sagas WHERE return_id = $1 ORDER BY closed_at IS NULL DESC, created_at DESC LIMIT 1`, [returnId]);
    // Not permanent: a scan (returns.tracking) can overtake its intake (returns.reported); a retry finds the saga.
    if (!rows.length) throw new Error(`no saga (yet) for return ${returnId}`);
    return rows[0].id;
  }
}

@Module({ providers: [SagaRunner, OrchestratorInputs], exports: [SagaRunner] })
export class OrchestratorModule {}
