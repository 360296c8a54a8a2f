import { nextAttemptDelay, RETRY_DELAYS_MS } from './retry-schedule';

describe('retry schedule', () => {
  it('is the documented one: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(RETRY_DELAYS_MS).toEqual([0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  });

  it('after attempt n waits the n-th delay with ±10% jitter, and gives up after 8 attempts', () => {
    for (let n = 1; n < 8; n++) {
      expect(nextAttemptDelay(n, () => 0)).toBe(Math.round(RETRY_DELAYS_MS[n] * 0.9));
      expect(nextAttemptDelay(n, () => 1)).toBe(Math.round(RETRY_DELAYS_MS[n] * 1.1));
      expect(nextAttemptDelay(n, () => 0.5)).toBe(RETRY_DELAYS_MS[n]);
    }
    expect(nextAttemptDelay(8)).toBeUndefined();
  });

  it('spreads retries of messages that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => nextAttemptDelay(2)));
    expect(delays.size).toBeGreaterThan(40);
  });
});
