package org.clusterpool.coordinator.dashboard;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Results per second per job, from the done counts of successive snapshots: the difference over the
 * last {@link #WINDOW_MILLIS} (or what is known of it). Holds only the samples of that window, each
 * a count per job.
 */
final class Rates {
  static final long WINDOW_MILLIS = 2_000;

  private record Sample(long atMillis, Map<String, Long> done) {}

  private final Deque<Sample> samples = new ArrayDeque<>();

  /**
   * Records the counts at {@code atMillis} and returns each job's rate (results/s); 0 for a job
   * seen once.
   */
  synchronized Map<String, Double> record(long atMillis, Map<String, Long> done) {
    Sample now = new Sample(atMillis, Map.copyOf(done));
    samples.addLast(now);
    // the oldest sample kept is the newest that is at least a window old: the rate spans a whole
    // window
    while (samples.size() > 2) {
      Sample second = samples.stream().skip(1).findFirst().orElseThrow();
      if (atMillis - second.atMillis < WINDOW_MILLIS) break;
      samples.removeFirst();
    }
    Map<String, Double> rates = new HashMap<>();
    for (Map.Entry<String, Long> job : done.entrySet()) {
      double rate = 0;
      for (Sample old : samples) {
        Long before = old.done.get(job.getKey());
        if (before == null) continue;
        long millis = atMillis - old.atMillis;
        if (millis > 0) rate = Math.max(0, job.getValue() - before) * 1000.0 / millis;
        break;
      }
      rates.put(job.getKey(), Math.round(rate * 10) / 10.0);
    }
    return rates;
  }
}
