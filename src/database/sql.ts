import type { DataSource, EntityManager } from 'typeorm';

/**
 * Rows of an `UPDATE/DELETE ... RETURNING`. TypeORM's postgres driver answers those with `[rows, rowCount]`
 * instead of rows (INSERT and SELECT give rows), which is easy to misread: one place handles it.
 */
export async function queryReturning<T = any>(q: DataSource | EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const result = await q.query(sql, params);
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result;
}
