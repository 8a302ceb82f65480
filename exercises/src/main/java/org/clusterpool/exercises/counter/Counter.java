package org.clusterpool.exercises.counter;

/**
 * The counter exercise: worker threads add one to a count, all at once, and the count must come out
 * exact.
 *
 * <p>How the harness uses a solution: it makes one instance per run with the public no-argument
 * constructor, calls {@link #open}, then starts the workers. Worker {@code w} calls {@code
 * increment(w)} many times, then {@code finished(w)}, all on its own thread. When every worker is
 * done it calls {@link #total} once, then {@link #close}. The count is correct when it equals the
 * increments made.
 */
public interface Counter extends AutoCloseable {

  /**
   * Called once, before any worker starts. Start threads or actors here, not in the constructor.
   */
  default void open(int workers) {}

  /**
   * Adds one. The workers call this at the same time, each from its own thread; {@code worker} says
   * which (0, 1, ...).
   */
  void increment(int worker);

  /** Worker {@code worker} has made its last increment; called on its thread. */
  default void finished(int worker) {}

  /** The count, read once, after every worker finished. */
  long total() throws InterruptedException;

  /** Releases what {@link #open} started. */
  @Override
  default void close() {}
}
