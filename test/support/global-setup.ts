import { execFileSync } from 'child_process';
import { buildKafkaMock } from '../../libs/testing/src/kafka-mock';

/** Once per run: Postgres up, the Kafka jars fetched, the mock-broker launcher built (one fault test needs it). */
export default async function globalSetup(): Promise<void> {
  execFileSync('bash', ['scripts/ensure-postgres.sh'], { stdio: 'inherit' });
  execFileSync('bash', ['infra/kafka/kafka.sh', 'fetch'], { stdio: ['ignore', 'ignore', 'inherit'] });
  buildKafkaMock();
}
