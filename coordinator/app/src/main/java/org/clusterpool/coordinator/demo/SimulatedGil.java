package org.clusterpool.coordinator.demo;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Python's Global Interpreter Lock, simulated: one lock that a thread must hold to compute. It is
 * fair, so threads take turns as CPython's threads do at each switch interval; a thread that waits
 * on I/O does so without it, as CPython releases the GIL around a blocking call. The JVM itself has
 * no such lock.
 */
final class SimulatedGil {
  private final ReentrantLock lock = new ReentrantLock(true);

  /** Computes while holding the lock: one thread at a time, whatever the number of cores. */
  long compute(LongSupplier work) {
    lock.lock();
    try {
      return work.getAsLong();
    } finally {
      lock.unlock();
    }
  }

  /** Takes the lock for the bytecode around a blocking call, then waits without it. */
  void blockingWait(long millis) throws InterruptedException {
    lock.lock();
    lock.unlock();
    Thread.sleep(millis);
  }
}
