/** Writes docs/openapi-suppliers.json (the supplier callback API). A unit test fails when it is out of date. */
import 'reflect-metadata';
import { writeFileSync } from 'fs';
import { join } from 'path';
import { buildSupplierOpenApi, renderOpenApi } from '../apps/api/src/supplier-api/openapi';

void buildSupplierOpenApi().then((doc) => {
  const path = join(__dirname, '..', 'docs', 'openapi-suppliers.json');
  writeFileSync(path, renderOpenApi(doc));
  process.stdout.write(`wrote ${path} (${Object.keys(doc.paths).length} paths)\n`);
});
