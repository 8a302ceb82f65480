package org.clusterpool.exercises.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds lock cycles with the JVM's own detector ({@link ThreadMXBean#findDeadlockedThreads}:
 * monitors and {@code java.util.concurrent} locks alike). A thread stuck in a {@code synchronized}
 * block cannot be interrupted, so an earlier run's deadlock may still be there: only cycles that
 * were not there when this run started count.
 */
final class Deadlocks {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** A cycle: each thread waits for a lock held by the next one. */
  record Cycle(String description, List<String> threads) {}

  private final Set<Long> before;

  private Deadlocks(Set<Long> before) {
    this.before = before;
  }

  /** The deadlocks already in this JVM, to ignore from now on. */
  static Deadlocks baseline() {
    return new Deadlocks(ids(THREADS.findDeadlockedThreads()));
  }

  /** A cycle of threads that were not deadlocked at the baseline, if there is one now. */
  Optional<Cycle> newCycle() {
    Set<Long> now = ids(THREADS.findDeadlockedThreads());
    now.removeAll(before);
    if (now.isEmpty()) return Optional.empty();
    Map<Long, ThreadInfo> infos = new HashMap<>();
    for (ThreadInfo info :
        THREADS.getThreadInfo(now.stream().mapToLong(Long::longValue).toArray())) {
      if (info != null) infos.put(info.getThreadId(), info);
    }
    if (infos.isEmpty()) return Optional.empty();
    return Optional.of(describe(infos));
  }

  /**
   * Names each cycle from its lowest thread id ("a waits for b, b waits for a"), then the threads
   * that are not in a cycle but blocked behind one (the JVM reports those too).
   */
  private static Cycle describe(Map<Long, ThreadInfo> infos) {
    List<Long> order = new ArrayList<>(infos.keySet());
    order.sort(null);
    Set<Long> inCycles = new LinkedHashSet<>();
    List<String> cycles = new ArrayList<>();
    for (long start : order) {
      List<Long> path = new ArrayList<>();
      Long id = start;
      while (id != null && infos.containsKey(id) && !path.contains(id) && !inCycles.contains(id)) {
        path.add(id);
        id = owner(infos.get(id));
      }
      if (id == null || !path.contains(id)) continue;
      List<Long> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
      int lowest = cycle.indexOf(cycle.stream().min(Long::compare).orElseThrow());
      Collections.rotate(cycle, -lowest);
      List<String> steps = new ArrayList<>();
      for (long member : cycle) {
        ThreadInfo info = infos.get(member);
        steps.add(info.getThreadName() + " waits for " + info.getLockOwnerName());
      }
      cycles.add(String.join(", ", steps));
      inCycles.addAll(cycle);
    }
    List<String> names = new ArrayList<>();
    for (long member : inCycles) names.add(infos.get(member).getThreadName());
    List<String> behind = new ArrayList<>();
    for (long other : order) {
      if (inCycles.contains(other)) continue;
      ThreadInfo info = infos.get(other);
      names.add(info.getThreadName());
      behind.add(info.getThreadName() + " waits for " + info.getLockOwnerName());
    }
    String description = String.join("; ", cycles);
    if (!behind.isEmpty()) description += " (stuck behind them: " + String.join(", ", behind) + ")";
    return new Cycle(description, List.copyOf(names));
  }

  private static Long owner(ThreadInfo info) {
    return info.getLockOwnerId() < 0 ? null : info.getLockOwnerId();
  }

  private static Set<Long> ids(long[] ids) {
    Set<Long> set = new HashSet<>();
    if (ids != null) for (long id : ids) set.add(id);
    return set;
  }
}
