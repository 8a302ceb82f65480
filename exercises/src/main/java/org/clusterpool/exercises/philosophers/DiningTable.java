package org.clusterpool.exercises.philosophers;

/**
 * The dining philosophers: philosophers sit at a round table with one fork between each two
 * neighbours; philosopher {@code p} needs fork {@code p} (its left) and fork {@code (p + 1) % n}
 * (its right) to eat. Two neighbours must never eat at once, and every philosopher must get every
 * meal it asks for.
 *
 * <p>How the harness uses a solution: it makes one instance per run with the public no-argument
 * constructor, calls {@link #open}, then each philosopher's thread calls {@link #dine} once per
 * meal, thinking a little in between, all at the same time. Then it calls {@link #close}.
 */
public interface DiningTable extends AutoCloseable {

  /** Called once, first, with the number of philosophers (and of forks). */
  void open(int philosophers);

  /**
   * Philosopher {@code philosopher} takes its two forks, calls {@code meal.run()} exactly once
   * while it holds them (that is the eating, timed and watched by the harness), then puts them
   * back. May be interrupted when the harness stops a stuck run.
   */
  void dine(int philosopher, Runnable meal) throws InterruptedException;

  /** Releases what {@link #open} started. */
  @Override
  default void close() {}
}
