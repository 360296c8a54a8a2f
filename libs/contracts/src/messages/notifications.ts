import { IsEmail, IsIn, IsObject, IsString, IsUUID } from 'class-validator';
import { Locale, Locales, NotificationTemplate, NotificationTemplates } from '../enums';
import { registerMessage } from '../envelope';
import { Topics } from '../topics';

/** Orchestrator → notifications: tell the customer about a contact moment. */
export class SendCustomerNotification {
  @IsUUID() sagaId!: string;
  @IsIn(NotificationTemplates) template!: NotificationTemplate;
  @IsIn(Locales) locale!: Locale;
  @IsEmail() to!: string;
  @IsString() brandName!: string;
  @IsEmail() senderEmail!: string;
  /** Template variables (already formatted strings). */
  @IsObject() vars!: Record<string, string>;
}
registerMessage('SendCustomerNotification', Topics.NotificationCommands, SendCustomerNotification);

export class CustomerNotified {
  @IsUUID() sagaId!: string;
  @IsUUID() notificationId!: string;
  @IsIn(NotificationTemplates) template!: NotificationTemplate;
}
registerMessage('CustomerNotified', Topics.NotificationEvents, CustomerNotified);
