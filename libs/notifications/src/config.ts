import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { PlatformConfig } from '@app/platform';

export class NotificationsConfig extends PlatformConfig {
  @IsString() SMTP_HOST: string = '127.0.0.1';
  @IsInt() @Min(1) @Max(65535) SMTP_PORT: number = 25;
  @IsOptional() @IsString() SMTP_USER?: string;
  @IsOptional() @IsString() SMTP_PASSWORD?: string;
  /** Right-hand side of every e-mail's Message-ID (`<notification id@domain>`); default: the tenant's sender domain. */
  @IsOptional() @IsString() MAIL_MESSAGE_ID_DOMAIN?: string;
}
