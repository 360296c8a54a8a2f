import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Clock, notFound, SecretBox, secretContext } from '@app/platform';
import { newSigningSecret } from '../auth/keys';

export class RotateSecretDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 720, default: 24, description: 'Hours the old secret keeps signing beside the new one (0: stop at once)' })
  @IsOptional() @IsInt() @Min(0) @Max(720) overlapHours: number = 24;
}

export class RotatedSecretDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'whsec_…', description: 'The new secret; shown once' }) signingSecret!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until then webhooks carry two signatures and callbacks may be signed with either secret' }) previousSecretExpiresAt!: string | null;
}

/**
 * Replaces a link's signing secret. During the overlap the old secret keeps
 * signing (a second `v1,` signature in `webhook-signature`) and keeps
 * verifying signed callbacks, so the supplier can switch without losing a message.
 */
@Injectable()
export class RotateSigningSecret {
  constructor(private readonly ds: DataSource, private readonly clock: Clock, private readonly secrets: SecretBox) {}

  async execute(tenantId: string, supplierId: string, dto: RotateSecretDto): Promise<RotatedSecretDto> {
    const now = this.clock.now();
    const secret = newSigningSecret();
    const expiresAt = dto.overlapHours > 0 ? new Date(now.getTime() + dto.overlapHours * 3_600_000) : null;
    await this.ds.transaction(async (m) => {
      const [s] = await m.query(`SELECT signing_secret FROM suppliers WHERE id = $1 AND tenant_id = $2 FOR UPDATE`, [supplierId, tenantId]);
      if (!s) throw notFound('supplier');
      if (expiresAt) {
        // Moved as sealed: a retired secret has the same owner (and context) as the signing secret.
        await m.query(`INSERT INTO supplier_retired_secrets (supplier_id, secret, retired_at, expires_at) VALUES ($1, $2, $3, $4)`, [supplierId, s.signing_secret, now, expiresAt]);
      }
      await m.query(`UPDATE suppliers SET signing_secret = $2 WHERE id = $1`, [supplierId, this.secrets.seal(secret, secretContext.signingSecret(supplierId))]);
    });
    return { id: supplierId, signingSecret: secret, previousSecretExpiresAt: expiresAt?.toISOString() ?? null };
  }
}
