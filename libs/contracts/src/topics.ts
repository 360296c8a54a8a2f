import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

/** Topic names. Must equal infra/kafka/topics.manifest (a unit test checks). */
export const Topics = {
  ReturnsReported: 'returns.reported',
  ReturnsTracking: 'returns.tracking',
  SupplierCommands: 'supplier.commands',
  SupplierAnswers: 'supplier.answers',
  SupplierEvents: 'supplier.events',
  RefundCommands: 'refund.commands',
  RefundEvents: 'refund.events',
  NotificationCommands: 'notification.commands',
  NotificationEvents: 'notification.events',
  OpsCommands: 'ops.commands',
  SagaEvents: 'saga.events',
  DeadLetter: 'deadletter',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Copies on a cluster of 3 or more (capped by the cluster's size). */
  replication: number;
  /** min.insync.replicas, capped by the replication a cluster can give. */
  minInsync: number;
}

/** infra/kafka/topics.manifest, found upwards from here (works from src/ and dist/). */
export function manifestPath(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'infra', 'kafka', 'topics.manifest');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('infra/kafka/topics.manifest not found');
  }
}

/** Parses the manifest: `name partitions replication min.insync` per line, `#` comments. */
export function readTopicManifest(path = process.env.TOPIC_MANIFEST ?? manifestPath()): TopicSpec[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((l) => {
      const [name, partitions, replication = '1', minInsync = '1'] = l.split(/\s+/);
      return { name, partitions: Number(partitions), replication: Number(replication), minInsync: Number(minInsync) };
    });
}
