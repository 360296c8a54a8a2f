/**
 * Delay before each attempt, after the previous one failed: immediately, 5 s,
 * 5 min, 30 min, 2 h, 5 h, 10 h, 10 h — eight attempts over about 28 hours,
 * the Standard Webhooks / Svix schedule. Jitter (±10%) spreads retries of many
 * messages that failed together.
 */
export const RETRY_DELAYS_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

export function nextAttemptDelay(attemptsSoFar: number, random: () => number = Math.random): number | undefined {
  const base = RETRY_DELAYS_MS[attemptsSoFar];
  if (base === undefined) return undefined;
  return Math.round(base * (0.9 + 0.2 * random()));
}
