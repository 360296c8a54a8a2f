import { execFileSync } from 'child_process';
import { buildKafkaMock } from '../../libs/testing/src/kafka-mock';

/** Once per run: Postgres up, the mock-broker launcher built. */
export default async function globalSetup(): Promise<void> {
  execFileSync('bash', ['scripts/ensure-postgres.sh'], { stdio: 'inherit' });
  buildKafkaMock();
}
