import './request-queue-fix';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue');

describe('kafkajs request queue, patched', () => {
  const queue = () => {
    const q = new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 1000, enforceRequestTimeout: false, clientId: 't', broker: 'b', logger: { debug: () => undefined } });
    clearInterval(q.requestTimeoutIntervalId);
    return q;
  };
  afterEach(() => jest.useRealTimers());

  it('arms no timer when nothing is pending and nothing is throttled (kafkajs 2.2.4 looped every 1 ms)', () => {
    const q = queue();
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).toBeNull();
    q.destroy();
  });

  it('still checks a pending request later, and waits out a throttle', () => {
    jest.useFakeTimers();
    const q = queue();
    const checks = jest.spyOn(q, 'checkPendingRequests').mockImplementation(() => undefined);
    q.pending.push({});
    q.scheduleCheckPendingRequests();
    expect(q.throttleCheckTimeoutId).not.toBeNull();
    jest.advanceTimersByTime(10);
    expect(checks).toHaveBeenCalledTimes(1);

    q.pending.length = 0;
    q.throttledUntil = Date.now() + 500;
    q.scheduleCheckPendingRequests();
    jest.advanceTimersByTime(499);
    expect(checks).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1);
    expect(checks).toHaveBeenCalledTimes(2);
    q.destroy();
  });
});
