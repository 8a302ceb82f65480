package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.WorkUnit;
import org.clusterpool.node.wire.Values;

/**
 * Every unit the coordinator waits for, by id, and the ids of new ones. Ids start at a random
 * point: a result meant for another incarnation's unit never matches one of ours.
 */
final class Units implements UnitState.IdSource {
  private final Map<Long, UnitState> byId = new HashMap<>();

  /** Units by the ids of their attempts stopped on a worker ({@link UnitState#renumber}). */
  private final Map<Long, UnitState> byEarlierId = new HashMap<>();

  private long nextId = ThreadLocalRandom.current().nextLong(1L << 40) << 20;

  @Override
  public long next() {
    return nextId++;
  }

  /** A new unit of the job over the chunk, kept here and queued in its job. */
  UnitState open(JobState job, Chunk chunk) {
    WorkUnit work =
        new WorkUnit(
            next(),
            job.jobId(),
            job.task(),
            job.signature().fingerprint(),
            chunk.seq(),
            0,
            chunk.firstIndex(),
            chunk.inputs());
    UnitState unit = new UnitState(work, job);
    add(unit);
    job.add(unit);
    return unit;
  }

  /** The unit of this id, or of an attempt of it stopped since (its result may still come). */
  UnitState get(long id) {
    UnitState unit = byId.get(id);
    return unit != null ? unit : byEarlierId.get(id);
  }

  void add(UnitState unit) {
    byId.put(unit.id(), unit);
  }

  void remove(UnitState unit) {
    byId.remove(unit.id());
    forgetEarlierIds(unit);
  }

  private void forgetEarlierIds(UnitState unit) {
    for (Long id : unit.earlierIds) byEarlierId.remove(id);
  }

  /**
   * The unit's attempt was stopped on its worker by its id: it runs again under a new one ({@link
   * UnitState#renumber}), and is still found by the old.
   */
  void renumber(UnitState unit) {
    byId.remove(unit.id());
    byEarlierId.put(unit.id(), unit);
    unit.renumber(next());
    byId.put(unit.id(), unit);
  }

  /** The unit, if its current attempt is in flight on the worker; else null. */
  UnitState inFlightOn(long id, WorkerState worker) {
    UnitState unit = byId.get(id);
    return unit != null && unit.worker == worker && unit.status == UnitState.Status.IN_FLIGHT
        ? unit
        : null;
  }

  /**
   * Units sent to the worker in assignments it has taken (up to {@code lastAssignSeq}) that it
   * neither holds nor answered: the assignment or the answer was lost on the way (the worker's
   * answers come before its report, in order). They stop counting against the worker; those still
   * in flight there are returned, to run again. Empty when {@code held} is not a list this
   * coordinator reads: no audit this time.
   */
  List<UnitState> lostOn(WorkerState worker, Values held, long lastAssignSeq) {
    Set<Long> holds = new HashSet<>();
    if (held instanceof Values.Longs longs) {
      for (long id : longs.values()) holds.add(id);
    } else if (held.size() > 0) {
      return List.of();
    }
    List<UnitState> lost = new ArrayList<>();
    for (Long unitId : worker.unitsTakenUpTo(lastAssignSeq)) {
      if (holds.contains(unitId)) continue;
      worker.release(unitId);
      UnitState unit = inFlightOn(unitId, worker);
      if (unit != null) lost.add(unit);
    }
    return lost;
  }

  /** The worker is gone: no unit counts against it any more; those in flight there are returned. */
  List<UnitState> releaseAll(WorkerState worker) {
    List<UnitState> held = new ArrayList<>();
    for (Long unitId : worker.units()) {
      UnitState unit = inFlightOn(unitId, worker);
      if (unit != null) held.add(unit);
      worker.release(unitId);
    }
    return held;
  }

  /** Of the units counted against the worker, those whose current attempt is there. */
  int currentOn(WorkerState worker) {
    int count = 0;
    for (Long id : worker.units()) {
      UnitState unit = byId.get(id);
      if (unit != null && unit.worker == worker) count++;
    }
    return count;
  }

  /** Units in flight past their deadline. */
  List<UnitState> late(long now) {
    List<UnitState> late = new ArrayList<>();
    for (UnitState unit : byId.values()) {
      if (unit.status == UnitState.Status.IN_FLIGHT && now - unit.deadlineNanos > 0) late.add(unit);
    }
    return late;
  }

  /** The units of the job, taken out. */
  List<UnitState> removeAllOf(JobState job) {
    List<UnitState> removed = new ArrayList<>();
    for (Iterator<UnitState> it = byId.values().iterator(); it.hasNext(); ) {
      UnitState unit = it.next();
      if (unit.job != job) continue;
      it.remove();
      forgetEarlierIds(unit);
      removed.add(unit);
    }
    return removed;
  }
}
