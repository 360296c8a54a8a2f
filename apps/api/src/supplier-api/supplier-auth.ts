import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Clock, DomainError, ErrorCode, LOGGER, SecretBox, secretContext, TaskQueue, TaskScheduler } from '@app/platform';
import { TIMESTAMP_TOLERANCE_SECONDS, verifyStandardWebhook } from '@app/suppliers';
import type { SupplierPrincipal } from '../auth/auth.guard';
import { parseApiKey, secretMatches } from '../auth/keys';

/** Header naming the supplier link of a signed callback (the signature alone does not say whose secret to use). */
export const SUPPLIER_ID_HEADER = 'x-supplier-id';
export const PURGE_QUEUE = 'supplier-callback-ids';
/** A replay must carry a timestamp within the tolerance, so an id needs remembering for twice that, plus slack. */
const REMEMBER_IDS_MS = (2 * TIMESTAMP_TOLERANCE_SECONDS + 300) * 1000;

export type SupplierAuthFailure = 'missing_credentials' | 'bad_key' | 'unknown_supplier' | 'missing_headers' | 'bad_id' | 'bad_timestamp' | 'stale_timestamp' | 'bad_signature' | 'replayed';

const refuse = (reason: SupplierAuthFailure, message: string) => new DomainError(ErrorCode.Unauthenticated, message, { reason });

/**
 * Authenticates a supplier callback, per supplier link, either way:
 * - signed like our webhooks (Standard Webhooks headers, HMAC with the link's
 *   secret, or a rotated-out one still in its overlap) plus `X-Supplier-Id`;
 *   the timestamp must be within 5 minutes and each `webhook-id` is accepted once;
 * - or the link's callback API key (`Authorization: Bearer sk_...`).
 * When signature headers are present the signature decides; a key does not rescue a bad one.
 */
@Injectable()
export class SupplierAuthenticator implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly tasks: TaskScheduler,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly secrets: SecretBox,
  ) {}

  onModuleInit(): void {
    this.tasks.handle(PURGE_QUEUE, async () => {
      const now = this.clock.now();
      await this.ds.query(`DELETE FROM supplier_callback_ids WHERE seen_at < $1`, [new Date(now.getTime() - REMEMBER_IDS_MS)]);
      return { kind: 'retry', at: new Date(now.getTime() + 3_600_000), error: 'recurring purge' };
    });
  }

  /** Arms the hourly purge of remembered callback ids (once per database). */
  async onApplicationBootstrap(): Promise<void> {
    await TaskQueue.scheduleOnce(this.ds.manager, PURGE_QUEUE, 'purge', this.clock.now());
  }

  async authenticate(req: Request & { rawBody?: Buffer }): Promise<SupplierPrincipal> {
    const signed = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].some((h) => req.headers[h] !== undefined);
    return signed ? this.bySignature(req) : this.byKey(req);
  }

  private async byKey(req: Request): Promise<SupplierPrincipal> {
    const h = req.headers.authorization;
    const raw = h?.startsWith('Bearer ') ? h.slice(7) : typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined;
    if (!raw) throw refuse('missing_credentials', 'sign the request (webhook-id, webhook-timestamp, webhook-signature, X-Supplier-Id) or send your callback API key');
    const key = parseApiKey(raw);
    if (!key || key.kind !== 'sk') throw refuse('bad_key', 'a supplier callback key (sk_...) is required');
    const [s] = await this.ds.query(`SELECT id, tenant_id, callback_key_hash FROM suppliers WHERE callback_key_prefix = $1`, [key.prefix]);
    if (!s || !secretMatches(key.secret, s.callback_key_hash)) throw refuse('bad_key', 'invalid API key');
    return { kind: 'supplier', tenantId: s.tenant_id, supplierId: s.id };
  }

  private async bySignature(req: Request & { rawBody?: Buffer }): Promise<SupplierPrincipal> {
    const supplierId = req.headers[SUPPLIER_ID_HEADER];
    if (typeof supplierId !== 'string' || !isUUID(supplierId)) throw refuse('unknown_supplier', 'a signed request needs the X-Supplier-Id header (your supplier link id)');
    const now = this.clock.now();
    const [s] = await this.ds.query(`SELECT id, tenant_id, signing_secret FROM suppliers WHERE id = $1`, [supplierId]);
    if (!s) throw refuse('unknown_supplier', 'unknown supplier');
    const retired: { secret: string }[] = await this.ds.query(
      `SELECT secret FROM supplier_retired_secrets WHERE supplier_id = $1 AND expires_at > $2`, [supplierId, now]);
    const result = verifyStandardWebhook(req.headers, req.rawBody ?? '', [s.signing_secret, ...retired.map((r) => r.secret)].map((x) => this.secrets.open(x, secretContext.signingSecret(s.id))), now);
    if (!result.ok) {
      this.log.warn({ supplierId, reason: result.reason, webhookId: req.headers['webhook-id'] }, 'supplier callback signature refused');
      throw refuse(result.reason, result.message);
    }
    const fresh = await this.ds.query(
      `INSERT INTO supplier_callback_ids (supplier_id, webhook_id, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING webhook_id`,
      [supplierId, result.id, now],
    );
    if (!fresh.length) {
      this.log.warn({ supplierId, webhookId: result.id }, 'supplier callback replay refused');
      throw refuse('replayed', `webhook-id ${result.id} was already used; sign every request with a new id (answers are idempotent, so a retry with a new id is safe)`);
    }
    return { kind: 'supplier', tenantId: s.tenant_id, supplierId: s.id };
  }
}
