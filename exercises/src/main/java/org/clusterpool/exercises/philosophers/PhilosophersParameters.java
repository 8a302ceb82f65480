package org.clusterpool.exercises.philosophers;

/**
 * The table's size and habits.
 *
 * @param philosophers philosophers and forks around the table
 * @param meals meals each philosopher eats
 * @param work how long a meal lasts, and at most how long a philosopher thinks between two, in
 *     steps of busy work (a step is a few nanoseconds)
 */
public record PhilosophersParameters(int philosophers, long meals, int work) {

  public static final int MAX_PHILOSOPHERS = 64;
  public static final long MAX_MEALS = 10_000_000L;
  public static final int MAX_WORK = 1_000_000;

  public static PhilosophersParameters defaults() {
    return new PhilosophersParameters(5, 10_000, 100);
  }

  public PhilosophersParameters {
    if (philosophers < 2 || philosophers > MAX_PHILOSOPHERS) {
      throw new IllegalArgumentException(
          "philosophers must be between 2 and " + MAX_PHILOSOPHERS + ", got " + philosophers);
    }
    if (meals < 1 || meals > MAX_MEALS) {
      throw new IllegalArgumentException(
          "meals must be between 1 and " + MAX_MEALS + ", got " + meals);
    }
    if (work < 0 || work > MAX_WORK) {
      throw new IllegalArgumentException(
          "work must be between 0 and " + MAX_WORK + ", got " + work);
    }
  }

  /** Fork {@code p} lies to the left of philosopher {@code p}... */
  static int leftFork(int philosopher) {
    return philosopher;
  }

  /** ...and fork {@code p + 1} to its right, the last philosopher's right fork being fork 0. */
  static int rightFork(int philosopher, int philosophers) {
    return (philosopher + 1) % philosophers;
  }
}
