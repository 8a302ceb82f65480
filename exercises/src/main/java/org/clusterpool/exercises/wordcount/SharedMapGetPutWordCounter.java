package org.clusterpool.exercises.wordcount;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The same shared map, updated with a {@code get} then a {@code put}. Each call is thread-safe; the
 * pair is not: two threads get the same count, both put count + 1, and one occurrence is lost,
 * exactly as with {@code count++}. Not final: a test holds a thread between its get and its put.
 */
class SharedMapGetPutWordCounter implements WordCounter {
  private final ConcurrentHashMap<String, Long> counts = new ConcurrentHashMap<>();

  @Override
  public void count(int thread, String chunk) {
    Words.each(
        chunk,
        word -> {
          Long seen = counts.get(word);
          afterGet(thread);
          counts.put(word, seen == null ? 1 : seen + 1);
        });
  }

  /** Nothing in a real run; where a test holds a thread between its get and its put. */
  void afterGet(int thread) {}

  @Override
  public Map<String, Long> frequencies() {
    return counts;
  }
}
