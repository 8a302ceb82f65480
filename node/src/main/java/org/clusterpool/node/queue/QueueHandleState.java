package org.clusterpool.node.queue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.clusterpool.node.handle.PendingCalls;

/**
 * What a {@link DistributedQueue} handle and its {@link QueueClient} share: the waiting calls and
 * this handle's counts.
 */
final class QueueHandleState {
  final PendingCalls calls = new PendingCalls();

  /** Joinable queue: items taken through this handle and not yet marked done. */
  final AtomicLong unfinished = new AtomicLong();

  final LongAdder puts = new LongAdder();
  final LongAdder waitedPuts = new LongAdder();
  final LongAdder gets = new LongAdder();
  final LongAdder redeliveredGets = new LongAdder();
}
