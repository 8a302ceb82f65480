package org.clusterpool.coordinator.dashboard;

import java.util.HashMap;
import java.util.Map;

/**
 * The results the workers made since this API started watching, for {@code
 * clusterpool_results_total}: each worker's count of inputs done only grows, so the total adds what
 * each grew by since the last look. A worker that leaves keeps what it added, so the total never
 * goes back (what it did after the last look is not counted). A count that went down was started
 * again (a new coordinator counts from 0): all of it is new. A look that got no answer changes
 * nothing, so the next answer does not add every worker's whole count again.
 */
final class ResultTotals {
  private final Map<String, Long> lastSeen = new HashMap<>();
  private long total;

  /**
   * Adds the growth of {@code doneByWorker} and forgets the workers not in it; the total so far.
   */
  synchronized long update(Map<String, Long> doneByWorker) {
    for (Map.Entry<String, Long> worker : doneByWorker.entrySet()) {
      long before = lastSeen.getOrDefault(worker.getKey(), 0L);
      long now = worker.getValue();
      if (now > before) total += now - before;
      else if (now < before) total += now; // counted again from 0
    }
    lastSeen.clear();
    lastSeen.putAll(doneByWorker);
    return total;
  }

  /** The total so far, for a look that got no answer. */
  synchronized long total() {
    return total;
  }
}
