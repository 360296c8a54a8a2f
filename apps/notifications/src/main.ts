import 'reflect-metadata';
import { bootstrapService } from '@app/platform';
import { NotificationsConfig } from '@app/notifications';
import { NotificationsAppModule } from './app.module';

void bootstrapService('notifications', NotificationsConfig, (c) => NotificationsAppModule.forRoot(c));
