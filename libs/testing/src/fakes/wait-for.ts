/**
 * Polls a condition until it yields a value, with a deadline.
 *
 * - The condition "is not met yet" when `fn` returns (or resolves to) `undefined`, `null` or `false`,
 *   or when it throws / rejects. Any other value (including `0` and `''`) is returned.
 * - On timeout, throws an Error whose message contains `opts.message` (or a default), the timeout,
 *   and the last error thrown by `fn` (if any). The last error is also attached as `cause`.
 */
export interface WaitForOptions {
  /** Deadline in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Delay between attempts in milliseconds. Default 25. */
  intervalMs?: number;
  /** Prefix of the timeout error message. */
  message?: string;
}

export class WaitForTimeoutError extends Error {
  constructor(
    message: string,
    readonly lastError: unknown,
  ) {
    super(message);
    this.name = 'WaitForTimeoutError';
    if (lastError !== undefined) {
      (this as { cause?: unknown }).cause = lastError;
    }
  }
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(
  fn: () => T | Promise<T> | undefined | null | false,
  opts: WaitForOptions = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const intervalMs = Math.max(1, opts.intervalMs ?? 25);
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = undefined;
  let attempts = 0;

  for (;;) {
    attempts++;
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) {
        return value as T;
      }
    } catch (err) {
      lastError = err;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(intervalMs, remaining));
  }

  const base = opts.message ?? 'waitFor: condition not met';
  const suffix = lastError !== undefined ? `; last error: ${describeError(lastError)}` : '';
  throw new WaitForTimeoutError(`${base} (timed out after ${timeoutMs}ms, ${attempts} attempts)${suffix}`, lastError);
}
