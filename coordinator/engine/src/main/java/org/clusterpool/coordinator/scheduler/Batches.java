package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.protocol.MessageBudget;
import org.clusterpool.node.task.TaskKind;

/**
 * How many of a job's queued units go to a worker in one {@code Assign}: for cpu work, as many
 * cheap units as fit the batch target once the job's cost is known (so that tiny chunks do not pay
 * a round trip each); for async calls, the worker's share of the queue within its credit. Every
 * batch fits in one message.
 */
final class Batches {
  private final CoordinatorSettings settings;
  private final MessageBudget budget;

  Batches(CoordinatorSettings settings, MessageBudget budget) {
    this.settings = settings;
    this.budget = budget;
  }

  /**
   * The next batch of the job for the worker, taken from the job's queue; {@code othersHungry}:
   * workers besides it.
   */
  List<UnitState> take(TaskKind kind, JobState job, WorkerState worker, int othersHungry) {
    return kind == TaskKind.CPU ? cpu(job) : async(job, worker, othersHungry);
  }

  /**
   * One unit, or, once the job's cost is known, as many cheap units as fit in the batch target and
   * in one message: chunks of one tiny input then share a message instead of paying a round trip
   * each.
   */
  private List<UnitState> cpu(JobState job) {
    List<UnitState> batch = new ArrayList<>(1);
    double estimate = 0;
    long bytes = 0;
    while (true) {
      UnitState unit = job.poll();
      if (unit == null) return batch;
      estimate += job.estimateNanos(unit);
      bytes += MessageBudget.of(unit.unit);
      batch.add(unit);
      UnitState next = job.peek();
      if (next == null
          || !job.costKnown()
          || batch.size() >= settings.batchMaxChunks()
          || estimate + job.estimateNanos(next) > settings.batchTargetNanos()
          || !budget.fits(bytes, MessageBudget.of(next.unit))) {
        return batch;
      }
    }
  }

  /**
   * Async units up to the worker's credit and one message, spread over the workers that have
   * credit.
   */
  private List<UnitState> async(JobState job, WorkerState worker, int othersHungry) {
    int share = Math.max(1, (int) Math.ceil((double) job.queued() / (othersHungry + 1)));
    List<UnitState> batch = new ArrayList<>();
    int credit = worker.asyncCredit();
    long bytes = 0;
    while (batch.size() < share && credit > 0) {
      UnitState next = job.peek();
      if (next == null || (!batch.isEmpty() && !budget.fits(bytes, MessageBudget.of(next.unit))))
        break;
      UnitState unit = job.poll();
      credit -= unit.size();
      bytes += MessageBudget.of(unit.unit);
      batch.add(unit);
    }
    return batch;
  }
}
