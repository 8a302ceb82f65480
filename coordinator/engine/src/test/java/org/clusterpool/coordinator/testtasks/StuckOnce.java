package org.clusterpool.coordinator.testtasks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterpool.node.task.LongTask;
import org.clusterpool.node.task.TaskContext;

/**
 * A test task: returns its input; its first call on 0 hangs, deaf to interrupts and to its
 * cancellation, until the test lets it go ({@link #release}), as a task stuck in a bad library call
 * would. Catalogued only on the test class path.
 */
public final class StuckOnce implements LongTask {
  private static final AtomicBoolean STUCK_ONE = new AtomicBoolean();
  private static volatile CountDownLatch gate = new CountDownLatch(1);

  /** Lets the stuck call go, and arms the task for the next test. */
  public static void release() {
    gate.countDown();
    gate = new CountDownLatch(1);
    STUCK_ONE.set(false);
  }

  public static boolean stuckOne() {
    return STUCK_ONE.get();
  }

  @Override
  public String name() {
    return "test-stuck-once";
  }

  @Override
  public String description() {
    return "test only: x; the first call on 0 hangs until the test lets it go";
  }

  @Override
  public long applyAsLong(long x, TaskContext context) {
    if (x == 0 && STUCK_ONE.compareAndSet(false, true)) {
      CountDownLatch mine = gate;
      while (true) {
        try {
          if (mine.await(1, TimeUnit.SECONDS)) break;
        } catch (InterruptedException e) {
          // deaf to it, as a stuck library call is
        }
      }
    }
    return x;
  }
}
