/**
 * True when the error says "the database (or network) is unavailable", not
 * "this message is bad": such failures are retried forever, never dead-lettered.
 */
export function isTransientInfraError(err: unknown): boolean {
  const e = err as { code?: string; message?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code ?? '';
  if (/^(08|57P0|53)/.test(code)) return true; // connection exceptions, admin shutdown, insufficient resources
  if (code === '40001' || code === '40P01') return true; // serialization failure, deadlock
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code)) return true;
  const msg = String(e?.message ?? '');
  return /Connection terminated|connection.*(closed|ended)|terminating connection|the database system is (starting|shutting) up|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(msg);
}
