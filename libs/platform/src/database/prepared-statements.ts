import { createHash } from 'crypto';
import { Client } from 'pg';

/**
 * Makes every parameterised query a named prepared statement, per connection,
 * as postgres.js does by default: Postgres then parses and analyses each
 * statement text once per connection instead of on every call, and may reuse
 * its plan. TypeORM's raw `query(sql, params)` goes through `pg.Client#query`
 * with unnamed statements, so the names are added there, from a hash of the
 * text (same text, same name; a connection's statements are bounded by the
 * code's distinct SQL texts). Queries without parameters (BEGIN, COMMIT, DDL)
 * are left as they are.
 */
const names = new Map<string, string>();
const MAX_NAMES = 5_000;

function nameFor(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `s${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
    if (names.size < MAX_NAMES) names.set(text, name);
  }
  return name;
}

let installed = false;

export function usePreparedStatements(): void {
  if (installed) return;
  installed = true;
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (config: unknown, values?: unknown, callback?: unknown) {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      return query.call(this, { text: config, values, name: nameFor(config) }, callback);
    }
    return query.call(this, config, values, callback);
  };
}
