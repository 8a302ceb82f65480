package org.clusterpool.exercises.philosophers;

/**
 * What a philosopher does while it holds its forks: busy work in a real run, a barrier in a test.
 */
interface Eating {
  /** Returns a value the caller keeps, so that busy work is not optimized away. */
  long eat(int philosopher) throws Exception;
}
