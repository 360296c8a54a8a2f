import { DynamicModule, Module } from '@nestjs/common';
import { Clock, PlatformModule } from '@app/platform';
import { NotificationsConfig, NotificationsModule } from '@app/notifications';

/** Customer e-mails at each contact moment, over SMTP. */
@Module({})
export class NotificationsAppModule {
  static forRoot(config: NotificationsConfig, clock?: Clock): DynamicModule {
    return { module: NotificationsAppModule, imports: [PlatformModule.forService({ service: 'notifications', config, clock }), NotificationsModule] };
  }
}
