import { Inject, Injectable, Optional } from '@nestjs/common';
import { AllowList, assertPublicUrl, DomainError, ErrorCode, HOST_RESOLVER, HostResolver, PLATFORM_CONFIG, SsrfRefused, systemResolver } from '@app/platform';
import { ApiConfig } from '../config';

/**
 * The SSRF guard at registration: a supplier's webhook URL must be http(s) and
 * point only at public addresses (every address its host resolves to now).
 * The suppliers service checks again at each send, after resolving.
 */
@Injectable()
export class WebhookUrlPolicy {
  private readonly allow: AllowList;

  constructor(
    @Inject(PLATFORM_CONFIG) config: ApiConfig,
    @Optional() @Inject(HOST_RESOLVER) private readonly resolver: HostResolver = systemResolver,
  ) {
    this.allow = AllowList.parse(config.WEBHOOK_ALLOW_HOSTS);
  }

  async assertAllowed(url: string): Promise<void> {
    try {
      await assertPublicUrl(url, this.allow, this.resolver);
    } catch (err) {
      if (err instanceof SsrfRefused) throw new DomainError(ErrorCode.Invalid, `webhookUrl ${err.message}`, { fields: ['webhookUrl'] });
      throw err;
    }
  }
}
