import { Initial1764000000000 } from './1764000000000-Initial';
import { TenantTemplates1764000150000 } from './1764000150000-TenantTemplates';
import { SupplierWebhooks1764000200000 } from './1764000200000-SupplierWebhooks';
import { OpsConsole1764000300000 } from './1764000300000-OpsConsole';
import { SagasByReturn1764000400000 } from './1764000400000-SagasByReturn';
import { SagaTimerKeys1764000500000 } from './1764000500000-SagaTimerKeys';
import { OutboxJson1764000600000 } from './1764000600000-OutboxJson';
import { SealedSecrets1764000700000 } from './1764000700000-SealedSecrets';
import { IdempotencyFingerprints1764000710000 } from './1764000710000-IdempotencyFingerprints';
import { StoreCreditGiftCards1764000750000 } from './1764000750000-StoreCreditGiftCards';
import { OpsAlertSupplier1764000800000 } from './1764000800000-OpsAlertSupplier';

/** Every migration, in order. Append only: never edit one that has landed. */
export const migrations = [Initial1764000000000, TenantTemplates1764000150000, SupplierWebhooks1764000200000, OpsConsole1764000300000, SagasByReturn1764000400000, SagaTimerKeys1764000500000, OutboxJson1764000600000, SealedSecrets1764000700000, IdempotencyFingerprints1764000710000, StoreCreditGiftCards1764000750000, OpsAlertSupplier1764000800000];
