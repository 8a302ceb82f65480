package org.clusterpool.coordinator.pool;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Where a pool engine is in its life, as {@link PoolEngine} promises it: open; closing (no new
 * work, what runs finishes, then the engine stops); terminated (stopped now). Both engines, {@link
 * ActorPool} and {@link ConnectedPool}, keep it here; each says when it is idle and how it stops,
 * and what terminating cancels.
 */
final class EngineLifecycle {
  private enum State {
    OPEN,
    CLOSING,
    TERMINATED
  }

  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final BooleanSupplier idle;
  private final Runnable stopWhenIdle;
  private volatile State state = State.OPEN;

  /**
   * {@code idle}: whether nothing of the engine runs; {@code stopWhenIdle}: how a closing engine
   * stops then.
   */
  EngineLifecycle(BooleanSupplier idle, Runnable stopWhenIdle) {
    this.idle = idle;
    this.stopWhenIdle = stopWhenIdle;
  }

  /** No new work; the engine stops once idle, at once if it is already. */
  void close() {
    if (state == State.OPEN) {
      state = State.CLOSING;
      stopIfIdle();
    }
  }

  /** From now on terminated: the engine cancels what runs and stops. */
  void terminate() {
    state = State.TERMINATED;
  }

  /** After a job of the engine ended: a closing engine that is idle now stops. */
  void stopIfIdle() {
    if (state == State.CLOSING && idle.getAsBoolean()) stopWhenIdle.run();
  }

  boolean isOpen() {
    return state == State.OPEN;
  }

  boolean isTerminated() {
    return state == State.TERMINATED;
  }

  /** Completes once the engine has stopped. */
  CompletableFuture<Void> stopped() {
    return stopped;
  }
}
