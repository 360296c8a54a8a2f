import { DataSource } from 'typeorm';
import { dataSourceOptions, usePreparedStatements } from '@app/platform';
import { createTestDatabase, TestDatabase } from '@app/testing';

/**
 * Parameterised queries become named prepared statements (parsed once per
 * connection), against the real Postgres: same text, one statement; errors and
 * transactions behave as before.
 */
describe('prepared statements', () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    usePreparedStatements();
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 1)); // one connection: every query below shares it
    await ds.initialize();
    await ds.query(`CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)`);
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const prepared = async (like: string) =>
    (await ds.query(`SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE $1`, [like])) as { name: string; statement: string }[];

  it('prepares a parameterised statement once and reuses it', async () => {
    for (let i = 1; i <= 5; i++) await ds.query(`INSERT INTO t (id, v) VALUES ($1, $2)`, [i, `v${i}`]);
    const rows = await prepared('INSERT INTO t %');
    expect(rows).toHaveLength(1);
    expect(rows[0].name).toMatch(/^s[\w-]{22}$/);
    expect(await ds.query(`SELECT v FROM t WHERE id = $1`, [3])).toEqual([{ v: 'v3' }]);
    expect(await ds.query(`SELECT v FROM t WHERE id = $1`, [4])).toEqual([{ v: 'v4' }]);
    expect(await prepared('SELECT v FROM t WHERE id = %')).toHaveLength(1);
  });

  it('leaves queries without parameters alone', async () => {
    await ds.query(`SELECT count(*) FROM t`);
    expect(await prepared('SELECT count(*) FROM t%')).toEqual([]);
  });

  it('keeps errors and rollbacks as they were, and the statement usable afterwards', async () => {
    await expect(ds.transaction(async (m) => {
      await m.query(`INSERT INTO t (id, v) VALUES ($1, $2)`, [10, 'ten']);
      await m.query(`INSERT INTO t (id, v) VALUES ($1, $2)`, [10, 'again']); // duplicate key
    })).rejects.toThrow(/duplicate key/);
    expect(await ds.query(`SELECT v FROM t WHERE id = $1`, [10])).toEqual([]);
    await ds.query(`INSERT INTO t (id, v) VALUES ($1, $2)`, [10, 'ten']);
    expect(await ds.query(`SELECT v FROM t WHERE id = $1`, [10])).toEqual([{ v: 'ten' }]);
  });
});
