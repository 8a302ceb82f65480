package org.clusterpool.exercises.wordcount;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One map shared by every thread; {@code merge} reads, adds and writes an entry as one step, under
 * that entry's bin lock. Correct; and every thread that meets a frequent word waits for that word's
 * bin.
 */
final class SharedMapWordCounter implements WordCounter {
  private final ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();

  @Override
  public void count(int thread, String chunk) {
    Words.each(chunk, word -> counts.merge(word, 1L, Long::sum));
  }

  @Override
  public Map<String, Long> frequencies() {
    return counts;
  }
}
