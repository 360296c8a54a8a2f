import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsPolicyDuration } from '@app/contracts';
import { PlatformConfig } from '@app/platform';

/** Defaults of the api's abuse limits: generous, so tests and the bench are never throttled (docs/security.md). */
export const API_LIMITS = {
  RATE_LIMIT_WINDOW_SECONDS: 60,
  RATE_LIMIT_PER_KEY: 60_000,
  RATE_LIMIT_SIGNUPS_PER_IP: 60,
  OPS_STREAMS_PER_KEY: 20,
};

export class ApiConfig extends PlatformConfig {
  /** Rate-limit window; the limits below count requests within it. */
  @IsInt() @Min(1) @Max(86_400)
  RATE_LIMIT_WINDOW_SECONDS?: number = API_LIMITS.RATE_LIMIT_WINDOW_SECONDS;

  /** Requests per window per API key (tenant, ops, supplier callback key or signed supplier link). */
  @IsInt() @Min(1)
  RATE_LIMIT_PER_KEY?: number = API_LIMITS.RATE_LIMIT_PER_KEY;

  /** Anonymous sign-ups (POST /tenants) per window per client address. */
  @IsInt() @Min(1)
  RATE_LIMIT_SIGNUPS_PER_IP?: number = API_LIMITS.RATE_LIMIT_SIGNUPS_PER_IP;

  /** Live SSE streams (/ops/stream) open at once per key, per api instance. */
  @IsInt() @Min(1) @Max(10_000)
  OPS_STREAMS_PER_KEY?: number = API_LIMITS.OPS_STREAMS_PER_KEY;

  /** Comma-separated hosts/CIDRs exempt from the SSRF check of supplier webhook URLs (tests and local runs only; same setting as the suppliers service). */
  @IsOptional() @IsString()
  WEBHOOK_ALLOW_HOSTS?: string;

  /** Store hosts (as written in the URL) exempt from the store-URL rules at sign-up; same setting as the refunds service. Tests and local runs only. */
  @IsOptional() @IsString()
  STORE_ALLOW_HOSTS?: string;

  /**
   * Shortest policy durations accepted (ISO 8601, e.g. PT15M). Defaults: with
   * NODE_ENV=production PT1H (supplier SLA), P1D (tracking silence, parcel
   * deadline); otherwise PT1M each, so staging can try a policy in minutes.
   */
  @IsOptional() @IsPolicyDuration() POLICY_MIN_SUPPLIER_SLA?: string;
  @IsOptional() @IsPolicyDuration() POLICY_MIN_TRACKING_SILENCE?: string;
  @IsOptional() @IsPolicyDuration() POLICY_MIN_PARCEL_DEADLINE?: string;
}
