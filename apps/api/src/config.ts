import { IsOptional, IsString } from 'class-validator';
import { PlatformConfig } from '@app/platform';

export class ApiConfig extends PlatformConfig {
  /** Comma-separated hosts/CIDRs exempt from the SSRF check of supplier webhook URLs (tests and local runs only; same setting as the suppliers service). */
  @IsOptional() @IsString()
  WEBHOOK_ALLOW_HOSTS?: string;

  /** Store hosts (as written in the URL) exempt from the store-URL rules at sign-up; same setting as the refunds service. Tests and local runs only. */
  @IsOptional() @IsString()
  STORE_ALLOW_HOSTS?: string;
}
