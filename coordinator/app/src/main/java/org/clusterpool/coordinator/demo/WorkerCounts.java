package org.clusterpool.coordinator.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.clusterpool.node.task.builtin.Increment;

/**
 * What the workers' answers to {@code increment} say: per worker, how many increments it did and
 * which values its counter took. A worker whose counter went exactly 1, 2, ..., n over its n
 * increments saw no one else's write.
 */
record WorkerCounts(List<Worker> workers) {

  /** One worker's increments: {@code values} sorted. */
  record Worker(String name, long pid, List<Long> values) {
    long increments() {
      return values.size();
    }

    long last() {
      return values.isEmpty() ? 0 : values.get(values.size() - 1);
    }

    /** Its counter took the values 1..n and nothing else: only its own writes reached it. */
    boolean isolated() {
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) != i + 1) return false;
      }
      return true;
    }
  }

  static WorkerCounts of(List<Increment.Counted> answers) {
    Map<String, List<Long>> values = new TreeMap<>();
    Map<String, Long> pids = new TreeMap<>();
    for (Increment.Counted answer : answers) {
      String key = answer.pid() + " " + answer.worker();
      values.computeIfAbsent(key, k -> new ArrayList<>()).add(answer.counter());
      pids.put(key, answer.pid());
    }
    List<Worker> workers = new ArrayList<>();
    for (Map.Entry<String, List<Long>> entry : values.entrySet()) {
      List<Long> sorted = new ArrayList<>(entry.getValue());
      Collections.sort(sorted);
      workers.add(
          new Worker(
              entry.getKey().substring(entry.getKey().indexOf(' ') + 1),
              pids.get(entry.getKey()),
              sorted));
    }
    return new WorkerCounts(workers);
  }

  boolean allIsolated() {
    return workers.stream().allMatch(Worker::isolated);
  }

  /** The sum of the workers' final counts: the total, combined from their answers. */
  long combined() {
    return workers.stream().mapToLong(Worker::last).sum();
  }

  long largestSeen() {
    return workers.stream().mapToLong(Worker::last).max().orElse(0);
  }
}
