import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Clock } from '../clock/clock';
import { PlatformConfig } from '../config/platform-config';
import { TaskHandler, TaskWorker } from '../tasks/tasks';
import { LOGGER, PLATFORM_CONFIG } from './tokens';

/** Hosts this service's durable task queues (deadlines, deliveries, retries). */
@Injectable()
export class TaskScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly handlers: Record<string, TaskHandler> = {};
  private worker?: TaskWorker;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  handle(queue: string, handler: TaskHandler): void {
    this.handlers[queue] = handler;
  }

  onApplicationBootstrap(): void {
    this.worker = new TaskWorker(this.ds, this.clock, this.handlers, this.log.child({ component: 'tasks' }), {
      pollMs: Math.max(this.config.POLL_INTERVAL_MS, 50),
      leaseMs: this.config.TASK_LEASE_MS,
    });
    this.worker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
  }

  nudge(): void {
    this.worker?.nudge();
  }

  /** Runs every due task now; tests call it after moving a ManualClock. */
  runDue(): Promise<number> {
    return this.worker ? this.worker.runDue() : Promise.resolve(0);
  }
}
