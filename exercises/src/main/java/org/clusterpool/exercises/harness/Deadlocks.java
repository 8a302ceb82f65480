package org.clusterpool.exercises.harness;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds lock cycles with the JVM's own detector ({@link ThreadMXBean#findDeadlockedThreads}: monitors and
 * {@code java.util.concurrent} locks alike). A thread stuck in a {@code synchronized} block cannot be
 * interrupted, so an earlier run's deadlock may still be there: only cycles that were not there when this
 * run started count.
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
    for (ThreadInfo info : THREADS.getThreadInfo(now.stream().mapToLong(Long::longValue).toArray())) {
      if (info != null) infos.put(info.getThreadId(), info);
    }
    if (infos.isEmpty()) return Optional.empty();
    return Optional.of(describe(infos));
  }

  /** Follows "waits for the owner of" from the lowest thread id, so the same cycle reads the same way. */
  private static Cycle describe(Map<Long, ThreadInfo> infos) {
    List<String> steps = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    Set<Long> seen = new HashSet<>();
    List<Long> order = new ArrayList<>(infos.keySet());
    order.sort(null);
    for (long start : order) {
      Long id = start;
      while (id != null && infos.containsKey(id) && seen.add(id)) {
        ThreadInfo info = infos.get(id);
        names.add(info.getThreadName());
        String owner = info.getLockOwnerName() == null ? "a lock with no owner" : info.getLockOwnerName();
        steps.add(info.getThreadName() + " waits for " + owner);
        id = info.getLockOwnerId() < 0 ? null : info.getLockOwnerId();
      }
    }
    return new Cycle(String.join(", ", steps), List.copyOf(names));
  }

  private static Set<Long> ids(long[] ids) {
    Set<Long> set = new HashSet<>();
    if (ids != null) for (long id : ids) set.add(id);
    return set;
  }
}
