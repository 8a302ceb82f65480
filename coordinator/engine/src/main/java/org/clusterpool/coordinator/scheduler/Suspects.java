package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.RemoteError;

/**
 * What a worker's crash makes of the units it held. If a suspect group ran on its node, the crash
 * is that group's: the group is charged (cut in halves, down to the input that kills, which fails
 * after {@code max-crashes}), and the other units of the node are bystanders that run again
 * uncharged. Otherwise the units it held become suspects, in groups that run in {@link Quarantine},
 * each alone on its node.
 *
 * <p>It decides; the coordinator acts ({@link Verdicts}): it tells the client, and the unit runs
 * again or fails.
 */
final class Suspects {
  /**
   * How long a node whose crash was pinned on a suspect group keeps that verdict for its other
   * workers.
   */
  private static final long CULPRIT_MEMORY_NANOS = 60_000_000_000L;

  /**
   * Async calls in one group of suspects at most, so that a group fits beside other calls on one
   * worker.
   */
  private static final int ASYNC_GROUP_MAX = 10_000;

  /** What the coordinator does with a unit on this policy's word. */
  interface Verdicts {
    /** The unit goes back to the front of its job's queue, uncharged, and its client hears why. */
    void rerun(UnitState unit, String reason);

    /** The client hears that the unit runs again, and why (the unit stays where it is). */
    void announceRerun(UnitState unit, String reason);

    /** Every open input of the unit fails with the error. */
    void fail(UnitState unit, RemoteError error);
  }

  private final Quarantine quarantine = new Quarantine();

  /**
   * Nodes whose crash was pinned on a suspect group: the units of their other workers are
   * bystanders.
   */
  private final Map<String, Long> culpritNodes = new HashMap<>();

  /**
   * When a worker of each node last crashed: only workers that have reported since take suspects
   * there. Forgotten {@link #CULPRIT_MEMORY_NANOS} after the crash.
   */
  private final Map<String, Long> lastCrash = new HashMap<>();

  private final CoordinatorSettings settings;
  private final MessageBudget budget;
  private final Units units;
  private final ActivityLog activity;
  private final Verdicts verdicts;

  Suspects(CoordinatorSettings settings, Units units, ActivityLog activity, Verdicts verdicts) {
    this.settings = settings;
    this.budget = settings.budget();
    this.units = units;
    this.activity = activity;
    this.verdicts = verdicts;
  }

  boolean hasWaiting() {
    return quarantine.hasWaiting();
  }

  /**
   * The next group of the kind that the worker's node may run now ({@code runs}: it has the task),
   * started there.
   */
  SuspectGroup startOn(TaskKind kind, WorkerState worker, Predicate<SuspectGroup> runs) {
    // a node whose worker just crashed may be a dead JVM whose other workers' ends are still on
    // their way: a group started on one of them would be charged with a death it never saw
    Long crash = lastCrash.get(worker.info.node());
    if (crash != null && !worker.reportedSince(crash)) return null;
    SuspectGroup group = quarantine.next(kind, worker.info.node(), runs);
    if (group != null) quarantine.started(group, worker.info.node(), System.nanoTime());
    return group;
  }

  /**
   * The unit has its results, failed, or ran out of time: it leaves its group, and an empty group
   * leaves quarantine.
   */
  void leaveGroup(UnitState unit) {
    SuspectGroup group = unit.group;
    if (group != null && group.leave(unit)) quarantine.leave(group);
  }

  void dropJob(JobState job) {
    quarantine.dropJob(job);
  }

  List<SuspectGroup> patienceOver(long now) {
    return quarantine.patienceOver(now, settings.quarantinePatience().toNanos());
  }

  /**
   * A worker left in order: its units run again uncharged, and suspects among them wait with their
   * group again.
   */
  void left(List<UnitState> held, String why) {
    for (UnitState unit : held) {
      if (unit.group != null)
        unit.job.toQuarantine(unit); // it waits with its group, which goes back uncharged
      else verdicts.rerun(unit, why);
    }
    requeueGroupsOf(held);
  }

  /**
   * A worker crashed. If a suspect group ran on its node, the crash is that group's: it is charged,
   * and the other units of the node are bystanders that run again uncharged, up to {@code
   * max-crashes} times each. Otherwise the units it held become a new group.
   */
  void crashed(WorkerState worker, List<UnitState> held, String why) {
    String node = worker.info.node();
    long now = System.nanoTime();
    culpritNodes.values().removeIf(until -> now - until > 0);
    lastCrash.values().removeIf(at -> now - at > CULPRIT_MEMORY_NANOS);
    lastCrash.put(node, now);
    List<SuspectGroup> charged = quarantine.toCharge(node);
    if (!charged.isEmpty()) culpritNodes.put(node, now + CULPRIT_MEMORY_NANOS);
    for (SuspectGroup group : charged) charge(group, worker.info.label());
    boolean culpritKnown = culpritNodes.containsKey(node);
    List<UnitState> suspects = new ArrayList<>();
    for (UnitState unit : held) {
      if (unit.status != UnitState.Status.IN_FLIGHT) continue; // charged with its group above
      if (unit.group != null) {
        unit.job.toQuarantine(unit);
      } else if (culpritKnown && unit.unchargedCrashes++ < settings.maxCrashes()) {
        // a bystander, as the crash of a whole node takes its workers one by one; but only so
        // often: a unit that kills on its own, beside a suspect that kills too, would otherwise
        // crash workers uncharged for as long as the node is remembered
        verdicts.rerun(unit, why + " (a suspect on its node was the cause)");
      } else {
        suspects.add(unit);
      }
    }
    requeueGroupsOf(held);
    if (!suspects.isEmpty()) quarantine(suspects, List.of(worker.info.label()), why);
  }

  /** Groups whose members were on a worker that went, uncharged: they wait for a node again. */
  private void requeueGroupsOf(List<UnitState> held) {
    Set<SuspectGroup> groups = new LinkedHashSet<>();
    for (UnitState unit : held) {
      if (unit.group != null && unit.group.node != null) groups.add(unit.group);
    }
    for (SuspectGroup group : groups) {
      for (UnitState unit : group.units) {
        if (unit.worker != null) unit.worker.release(unit.id());
        unit.job.toQuarantine(unit);
      }
      quarantine.leave(group);
      quarantine.add(group);
    }
  }

  /**
   * The units become suspect groups, by kind and each under the message budget, cut in halves at
   * once: a group that kills again is then already half the size, and the innocent half runs beside
   * it on another node.
   */
  private void quarantine(List<UnitState> suspects, List<String> crashes, String why) {
    Set<TaskSignature> tasks = new LinkedHashSet<>();
    for (UnitState unit : suspects) tasks.add(unit.job.signature());
    for (TaskSignature task :
        tasks) { // a group is of one task: it runs on a node that has that task
      TaskKind kind = task.kind();
      List<UnitState> group = new ArrayList<>();
      long bytes = 0;
      int inputs = 0;
      for (UnitState unit : suspects) {
        if (!unit.job.signature().equals(task)) continue;
        long size = MessageBudget.of(unit.unit);
        if (!group.isEmpty()
            && (!budget.fits(bytes, size)
                || (kind == TaskKind.ASYNC && inputs + unit.size() > ASYNC_GROUP_MAX))) {
          enqueueHalves(new SuspectGroup(task, group, crashes));
          group = new ArrayList<>();
          bytes = 0;
          inputs = 0;
        }
        unit.job.toQuarantine(unit);
        verdicts.announceRerun(unit, why + "; it runs again in quarantine");
        group.add(unit);
        bytes += size;
        inputs += unit.size();
      }
      if (!group.isEmpty()) enqueueHalves(new SuspectGroup(task, group, crashes));
    }
  }

  private void enqueueHalves(SuspectGroup group) {
    if (group.open() < 2) {
      quarantine.add(group);
    } else {
      for (SuspectGroup half : halves(group)) quarantine.add(half);
    }
  }

  /**
   * A suspect group's node died while it ran: it is charged. Cut in halves and run again; a single
   * input that has now crashed {@code max-crashes} workers fails instead.
   */
  private void charge(SuspectGroup group, String worker) {
    quarantine.leave(group);
    group.crashes.add(worker);
    boolean fails = group.open() == 1 && group.crashes.size() >= settings.maxCrashes();
    for (UnitState unit : group.units) {
      activity.ended(unit, fails ? Activity.Outcome.FAILED : Activity.Outcome.RERUN);
      if (unit.worker != null) unit.worker.release(unit.id());
      unit.job.toQuarantine(unit);
    }
    int open = group.open();
    if (open == 0) return;
    if (open == 1) {
      UnitState unit = group.units.get(0);
      if (group.crashes.size() >= settings.maxCrashes()) {
        verdicts.fail(
            unit,
            RemoteError.of(
                "WorkerCrashed",
                unit.describe()
                    + " crashed "
                    + group.crashes.size()
                    + " workers ("
                    + String.join(", ", group.crashes)
                    + "): it is not run again (clusterpool.chunk.max-crashes)",
                "coordinator"));
      } else {
        verdicts.announceRerun(
            unit,
            "its worker " + worker + " crashed while it ran alone in quarantine; it runs again");
        quarantine.add(group);
      }
      return;
    }
    for (SuspectGroup half : halves(group)) {
      for (UnitState unit : half.units)
        verdicts.announceRerun(
            unit,
            "its worker "
                + worker
                + " crashed while its group ran in quarantine: "
                + "the group runs again in halves, to find the input that kills");
      quarantine.add(half);
    }
  }

  /** The group cut in two by its open inputs: between its units, or inside its one unit. */
  private List<SuspectGroup> halves(SuspectGroup group) {
    List<UnitState> members = new ArrayList<>(group.units);
    if (members.size() == 1) {
      UnitState unit = members.get(0);
      List<UnitState> halves = unit.halves(units);
      units.remove(unit);
      unit.job.replace(unit, halves.size());
      group.leave(unit);
      List<SuspectGroup> out = new ArrayList<>();
      for (UnitState half : halves) {
        units.add(half);
        out.add(new SuspectGroup(group.task, List.of(half), group.crashes));
      }
      return out;
    }
    int total = group.open();
    int seen = 0;
    int cut = 1;
    for (int i = 0; i < members.size() - 1; i++) {
      seen += members.get(i).open();
      cut = i + 1;
      if (seen * 2 >= total) break;
    }
    return List.of(
        new SuspectGroup(group.task, members.subList(0, cut), group.crashes),
        new SuspectGroup(group.task, members.subList(cut, members.size()), group.crashes));
  }
}
