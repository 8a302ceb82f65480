package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.protocol.TaskSignature;
import org.clusterpool.node.task.TaskKind;

/**
 * Units that were on a worker when it crashed, run again together, alone on their node, so that a
 * second crash is pinned on them. A group that crashes again is cut in halves, and so on down to
 * the one input that kills: the culprit is found in O(log n) crashes, and the innocent inputs run
 * at full speed, in whole batches.
 */
final class SuspectGroup {
  /** The task of every unit of the group: it runs on a node that has it. */
  final TaskSignature task;

  final TaskKind kind;
  final List<UnitState> units;

  /** The workers that crashed while holding these units (or a group they came from). */
  final List<String> crashes;

  /** The node it runs on now, or null while it waits. */
  String node;

  long startedNanos;

  /**
   * It ran longer than the patience: its node took another group, and a crash there charges this
   * one too.
   */
  boolean outlasting;

  SuspectGroup(TaskSignature task, List<UnitState> units, List<String> crashes) {
    this.task = task;
    this.kind = task.kind();
    this.units = new ArrayList<>(units);
    this.crashes = new ArrayList<>(crashes);
    for (UnitState unit : units) unit.group = this;
  }

  /** Inputs of the group still without a result. */
  int open() {
    int open = 0;
    for (UnitState unit : units) open += unit.open();
    return open;
  }

  /**
   * The unit leaves the group (it has its results, failed, ran out of time, or was cut in halves):
   * true when the group is then empty.
   */
  boolean leave(UnitState unit) {
    units.remove(unit);
    unit.group = null;
    return units.isEmpty();
  }

  String describe() {
    if (units.size() == 1) return units.get(0).describe() + " of job " + units.get(0).job.jobId();
    return units.size() + " units (" + open() + " inputs)";
  }
}
