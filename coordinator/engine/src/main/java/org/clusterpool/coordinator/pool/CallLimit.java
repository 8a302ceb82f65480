package org.clusterpool.coordinator.pool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * At most N calls of one gather in flight, like an {@code asyncio.Semaphore(N)} around each call.
 * The jobs of the gather share it: a chunk starts only with a permit, and a finished chunk hands
 * its permit on.
 */
final class CallLimit {
  private final int permits;
  private int inUse;
  private final List<ClientJob<?, ?>> jobs = new CopyOnWriteArrayList<>();

  CallLimit(int permits) {
    if (permits < 1)
      throw new IllegalArgumentException("the limit must be at least 1, got " + permits);
    this.permits = permits;
  }

  int permits() {
    return permits;
  }

  void join(ClientJob<?, ?> job) {
    jobs.add(job);
  }

  void leave(ClientJob<?, ?> job) {
    jobs.remove(job);
  }

  List<ClientJob<?, ?>> jobs() {
    return jobs;
  }

  synchronized boolean tryAcquire() {
    if (inUse >= permits) return false;
    inUse++;
    return true;
  }

  synchronized void release(int count) {
    inUse = Math.max(0, inUse - count);
  }
}
