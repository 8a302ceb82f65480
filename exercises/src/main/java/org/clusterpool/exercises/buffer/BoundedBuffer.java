package org.clusterpool.exercises.buffer;

/**
 * The buffer exercise: producer threads put items into a buffer of bounded capacity while consumer
 * threads take them out. Every item must be taken exactly once, and the buffer must never hold more
 * than its capacity: a producer waits while it is full, a consumer while it is empty.
 *
 * <p>How the harness uses a solution: it makes one instance per run with the public no-argument
 * constructor, calls {@link #open}, then its producers call {@link #put} and its consumers {@link
 * #take}, all at the same time, until every item has been put and taken. Then it calls {@link
 * #close}.
 */
public interface BoundedBuffer extends AutoCloseable {

  /** Called once, first: the most items the buffer may hold at once (at least 1). */
  void open(int capacity);

  /**
   * Adds an item; waits while the buffer is full. May be interrupted when the harness stops a stuck
   * run.
   */
  void put(long item) throws InterruptedException;

  /** Removes and returns the oldest item; waits while the buffer is empty. */
  long take() throws InterruptedException;

  /** Releases what {@link #open} started. */
  @Override
  default void close() {}
}
