import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { PlatformConfig } from '@app/platform';

export class SuppliersConfig extends PlatformConfig {
  /** Base URL suppliers call back (the api service), e.g. https://returns.example.com */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_API_URL!: string;

  /** Comma-separated hosts/CIDRs exempt from the SSRF guard (tests and local runs only). */
  @IsOptional() @IsString()
  WEBHOOK_ALLOW_HOSTS?: string;

  /** Whole-request timeout of one delivery attempt (connect, send, response). */
  @IsInt() @Min(100) @Max(60_000)
  WEBHOOK_TIMEOUT_MS: number = 15_000;

  /** An endpoint whose every attempt failed for this many days is disabled (ops can re-enable it). */
  @IsInt() @Min(1) @Max(30)
  WEBHOOK_DISABLE_AFTER_DAYS: number = 5;
}
