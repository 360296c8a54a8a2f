/**
 * kafkajs 2.2.4 spins every broker connection's request queue on a 1 ms timer
 * while nothing is pending (it schedules `throttledUntil - now`, a negative
 * delay, when not throttled): ~1,000 wake-ups a second per connection, about
 * 7 % of a core per idle service here, and more under load. Upstream issue
 * tulios/kafkajs#1556, fix proposed in #1667/#1768 but never released.
 *
 * Same method, minus the loop: with nothing pending and no throttle, there is
 * nothing to check later (a push that cannot be sent schedules a check, and a
 * completed request checks the queue itself).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as {
  prototype: {
    throttledUntil: number;
    throttleCheckTimeoutId: NodeJS.Timeout | null;
    pending: unknown[];
    checkPendingRequests(): void;
    scheduleCheckPendingRequests(): void;
  };
};

const CHECK_PENDING_REQUESTS_INTERVAL = 10; // as in kafkajs

RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: typeof RequestQueue.prototype) {
  let scheduleAt = this.throttledUntil - Date.now();
  if (this.throttleCheckTimeoutId) return;
  if (this.pending.length > 0) scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL;
  else if (scheduleAt <= 0) return;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, scheduleAt);
};

export {};
