import { Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { createTransport, Transporter } from 'nodemailer';
import { CustomerNotified, Envelope, SendCustomerNotification, Topics } from '@app/contracts';
import { Clock, LOGGER, Messaging, Metrics, PLATFORM_CONFIG, TaskOutcome, TaskQueue, TaskRow, TaskScheduler } from '@app/platform';
import { stableId } from '@app/contracts';
import { NotificationsConfig } from './config';
import { render } from './templates';
import { tenantTemplate } from './tenant-templates';
import { messageIdFor, senderDomain } from './message-id';

export const EMAIL_QUEUE = 'email';

/** Customer e-mails: one row per saga and contact moment (sent once), delivered over SMTP with retries. */
@Injectable()
export class CustomerMailer implements OnModuleInit, OnApplicationShutdown {
  private readonly transport: Transporter;
  private readonly messageIdDomain?: string;

  constructor(
    private readonly messaging: Messaging,
    private readonly tasks: TaskScheduler,
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(PLATFORM_CONFIG) config: NotificationsConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.messageIdDomain = config.MAIL_MESSAGE_ID_DOMAIN;
    this.transport = createTransport({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: false,
      ignoreTLS: config.SMTP_PORT === 25 || config.SMTP_HOST === '127.0.0.1',
      auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD } : undefined,
      connectionTimeout: 10_000,
      // Reuse SMTP connections: a handshake per e-mail (connect, EHLO, QUIT) cost more than the message.
      pool: true,
      maxConnections: 4,
      maxMessages: 500,
    });
  }

  /** Pooled connections would keep the process alive. */
  onApplicationShutdown(): void {
    this.transport.close();
  }

  onModuleInit(): void {
    this.messaging.consume({ group: 'notifications', topics: [Topics.NotificationCommands], handle: (env, { manager }) => this.accept(manager, env as Envelope<SendCustomerNotification>) });
    this.tasks.handle(EMAIL_QUEUE, (task) => this.send(task));
  }

  private async accept(m: EntityManager, env: Envelope<SendCustomerNotification>): Promise<void> {
    const cmd = env.payload;
    // The tenant's own text for this moment and language, else the built-in one.
    const { subject, body } = render(cmd.template, cmd.locale, cmd.vars, await tenantTemplate(m, env.tenantId, cmd.template, cmd.locale));
    const id = stableId(cmd.sagaId, 'notification', cmd.template);
    const rows = await m.query(
      `INSERT INTO notifications (id, saga_id, return_id, tenant_id, template, locale, to_email, subject, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (saga_id, template) DO NOTHING RETURNING id`,
      [id, cmd.sagaId, env.returnId, env.tenantId, cmd.template, cmd.locale, cmd.to, subject, body],
    );
    if (!rows.length) return;
    await TaskQueue.schedule(m, EMAIL_QUEUE, id, this.clock.now(), { notificationId: id, from: `${cmd.brandName} <${cmd.senderEmail}>`, correlationId: env.correlationId });
    this.tasks.nudge();
  }

  private async send(task: TaskRow): Promise<TaskOutcome> {
    const { notificationId, from, correlationId } = task.payload as { notificationId: string; from: string; correlationId: string };
    const [n] = await this.ds.query(`SELECT * FROM notifications WHERE id = $1`, [notificationId]);
    if (!n || n.status !== 'PENDING') return { kind: 'done' };
    // Built before the send: after the SMTP server has accepted the e-mail, recording it is one statement.
    const notified = this.messaging.outbox.build<CustomerNotified>('CustomerNotified', { returnId: n.return_id, tenantId: n.tenant_id, correlationId },
      { sagaId: n.saga_id, notificationId: n.id, template: n.template });
    try {
      await this.transport.sendMail({
        from, to: n.to_email, subject: n.subject, text: n.body,
        // Stable per notification: a resend after a crash is the same message, not a second one.
        messageId: messageIdFor(n.id, this.messageIdDomain ?? senderDomain(from) ?? 'returns.invalid'),
        headers: { 'Content-Language': n.locale, 'X-Return-Id': n.return_id, 'X-Template': n.template },
      });
    } catch (err) {
      this.metrics.notifications.inc({ outcome: 'retry' });
      const delay = Math.min(2_000 * 2 ** (task.attempts - 1), 3_600_000);
      this.log.warn({ returnId: n.return_id, template: n.template, err: String(err?.message ?? err), retryInMs: delay, correlationId }, 'e-mail not accepted; retrying');
      await this.ds.query(`UPDATE notifications SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [n.id, String(err?.message ?? err)]);
      return { kind: 'retry', at: new Date(this.clock.now().getTime() + delay), error: String(err?.message ?? err) };
    }
    // Accepted: from here to the commit is the window in which a crash sends it again (with the same Message-ID).
    // One autocommitted statement (state and message together) keeps it to one round trip.
    await this.messaging.outbox.appendWith(this.ds.manager,
      `UPDATE notifications SET status = 'SENT', attempts = attempts + 1, sent_at = $2 WHERE id = $1 AND status = 'PENDING' RETURNING id`,
      [n.id, this.clock.now()], [notified]);
    this.messaging.nudge();
    this.metrics.notifications.inc({ outcome: 'sent' });
    this.log.info({ returnId: n.return_id, template: n.template, to: n.to_email, correlationId }, 'customer e-mail sent');
    return { kind: 'done' };
  }
}

@Module({ providers: [CustomerMailer] })
export class NotificationsModule {}
