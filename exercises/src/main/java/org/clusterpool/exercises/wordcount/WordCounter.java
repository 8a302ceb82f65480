package org.clusterpool.exercises.wordcount;

import java.util.Map;

/**
 * The word count exercise: threads count the words of a text, chunk by chunk, at the same time; the
 * result must be every word's exact number of occurrences.
 *
 * <p>How the harness uses a solution: it makes one instance per run with the public no-argument
 * constructor, calls {@link #open}, then its threads call {@link #count} with their chunks, all at
 * the same time. When every chunk has been counted it calls {@link #frequencies} once, then {@link
 * #close}.
 */
public interface WordCounter extends AutoCloseable {

  /** Called once, first, with the number of threads that will call {@link #count}. */
  default void open(int threads) {}

  /**
   * Counts the words of one chunk: lower-case words separated by single spaces. Threads call this
   * at the same time, each with chunks of its own; {@code thread} (0, 1, ...) says which one is
   * calling.
   */
  void count(int thread, String chunk) throws InterruptedException;

  /**
   * Every word and its number of occurrences in all the chunks; read once, after every chunk was
   * counted.
   */
  Map<String, Long> frequencies() throws InterruptedException;

  /** Releases what {@link #open} started. */
  @Override
  default void close() {}
}
