package org.clusterpool.coordinator.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.clusterpool.node.task.TaskKind;

/**
 * Where suspects wait and run: at most one {@link SuspectGroup} in quarantine per node at a time,
 * so that when a node dies the group it ran is the culprit, and the other units it held are
 * bystanders that run again uncharged. Groups on different nodes run side by side. A group that has
 * run longer than the patience leaves quarantine (its node takes the next one beside it) and is
 * charged with the others if the node then dies.
 */
final class Quarantine {
  private final ArrayDeque<SuspectGroup> waiting = new ArrayDeque<>();
  private final Map<String, SuspectGroup> running = new HashMap<>();
  private final List<SuspectGroup> outlasting = new ArrayList<>();

  void add(SuspectGroup group) {
    group.node = null;
    group.outlasting = false;
    waiting.addLast(group);
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  /**
   * The first waiting group of this kind that the node can run ({@code runs}: it has the group's
   * task), if the node runs none now; it is taken out of the queue.
   */
  SuspectGroup next(TaskKind kind, String node, Predicate<SuspectGroup> runs) {
    if (running.containsKey(node)) return null;
    for (Iterator<SuspectGroup> it = waiting.iterator(); it.hasNext(); ) {
      SuspectGroup group = it.next();
      if (group.kind == kind && runs.test(group)) {
        it.remove();
        return group;
      }
    }
    return null;
  }

  void started(SuspectGroup group, String node, long now) {
    group.node = node;
    group.startedNanos = now;
    running.put(node, group);
  }

  /**
   * The group has all its results, or it was charged, failed or cancelled: it leaves quarantine.
   */
  void leave(SuspectGroup group) {
    waiting.remove(group);
    if (group.node != null && running.get(group.node) == group) running.remove(group.node);
    outlasting.remove(group);
    group.node = null;
  }

  /**
   * The groups to charge when the node dies: the one in quarantine there, and those that outlasted
   * the patience.
   */
  List<SuspectGroup> toCharge(String node) {
    List<SuspectGroup> groups = new ArrayList<>(1);
    SuspectGroup current = running.get(node);
    if (current != null) groups.add(current);
    for (SuspectGroup group : outlasting) {
      if (node.equals(group.node)) groups.add(group);
    }
    return groups;
  }

  /** Groups past the patience leave quarantine, still running: their nodes take the next group. */
  List<SuspectGroup> patienceOver(long now, long patienceNanos) {
    List<SuspectGroup> over = new ArrayList<>();
    for (Iterator<SuspectGroup> it = running.values().iterator(); it.hasNext(); ) {
      SuspectGroup group = it.next();
      if (now - group.startedNanos > patienceNanos) {
        it.remove();
        group.outlasting = true;
        outlasting.add(group);
        over.add(group);
      }
    }
    return over;
  }

  /** Units of a cancelled job leave their groups; a group left empty leaves quarantine. */
  void dropJob(JobState job) {
    List<SuspectGroup> all = new ArrayList<>(waiting);
    all.addAll(running.values());
    all.addAll(outlasting);
    for (SuspectGroup group : all) {
      group.units.removeIf(
          unit -> {
            if (unit.job != job) return false;
            unit.group = null;
            return true;
          });
      if (group.units.isEmpty()) leave(group);
    }
  }

  int waitingGroups() {
    return waiting.size();
  }
}
