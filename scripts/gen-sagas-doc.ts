/**
 * Writes docs/sagas.md from the saga transition tables (one mermaid diagram per event type).
 * Run: npx ts-node -r tsconfig-paths/register scripts/gen-sagas-doc.ts
 * A unit test (libs/sagas/src/definitions/definitions.spec.ts) fails when the file is stale.
 */
import { writeFileSync } from 'fs';
import { join } from 'path';
import { renderSagasDoc } from '@app/sagas';

const target = join(__dirname, '..', 'docs', 'sagas.md');
writeFileSync(target, renderSagasDoc());
process.stdout.write(`wrote ${target}\n`);
