import { IsOptional, IsString } from 'class-validator';
import { PlatformConfig } from '@app/platform';

export class RefundsConfig extends PlatformConfig {
  /** Comma-separated store hosts (as written in the URL) exempt from the Shopify-form and SSRF checks: tests and local runs only. */
  @IsOptional() @IsString()
  STORE_ALLOW_HOSTS?: string;
}
