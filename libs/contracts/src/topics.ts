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
}

/** infra/kafka/topics.manifest, found upwards from here (works from src/ and dist/). */
export function manifestPath(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'infra', 'kafka', 'topics.manifest');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('infra/kafka/topics.manifest not found');
  }
}

/** Parses the manifest: `name partitions` per line, `#` comments. */
export function readTopicManifest(path = process.env.TOPIC_MANIFEST ?? manifestPath()): TopicSpec[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((l) => {
      const [name, partitions] = l.split(/\s+/);
      return { name, partitions: Number(partitions) };
    });
}
