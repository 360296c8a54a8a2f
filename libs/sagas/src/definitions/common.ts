import type { Transition } from '../domain/engine';

/** Rows every saga type shares: ops resolve/cancel from any open state, and the post-close feedback request. */
export function commonTail<S extends string>(open: readonly S[]): Transition<S>[] {
  return [
    { from: open, on: 'OpsResolve', to: 'RESOLVED' as S, do: ['cancelTimers', 'scheduleFeedback'] },
    { from: open, on: 'OpsCancel', to: 'CANCELLED' as S, do: ['cancelTimers', 'withdrawSupplierRequests'] },
    { from: 'COMPLETED' as S, on: 'FeedbackDue', to: 'COMPLETED' as S, when: 'notFeedbackYet', do: ['notifyFeedback'] },
    { from: 'RESOLVED' as S, on: 'FeedbackDue', to: 'RESOLVED' as S, when: 'notFeedbackYet', do: ['notifyFeedback'] },
  ];
}
