package org.clusterpool.coordinator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.clusterpool.node.protocol.Chunk;
import org.clusterpool.node.protocol.WorkerInfo;
import org.clusterpool.node.task.TaskKind;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;

/**
 * What goes in one Assign, on its own: cpu units batched once their cost is known, async calls
 * shared out.
 */
class BatchesTest {

  /**
   * A batch target of 2 ms and at most 1024 chunks a batch, as the coordinator's tests run with.
   */
  private final Batches batches =
      new Batches(CoordinatorTest.SETTINGS, CoordinatorTest.SETTINGS.budget());

  private final Units units = new Units();

  private JobState job(String task, int chunks) {
    JobState job = new JobState("job-1", CoordinatorTest.task(task), null);
    for (int i = 0; i < chunks; i++) units.open(job, new Chunk(i, i, new Values.LongRange(i, 1)));
    return job;
  }

  private static WorkerState worker(int cpu, int async) {
    WorkerState worker =
        new WorkerState(null, null, new WorkerInfo("worker-1", "pekko://t@h:1", 7));
    worker.takeReport(1, cpu, async);
    return worker;
  }

  private static List<Long> seqs(List<UnitState> batch) {
    return batch.stream().map(unit -> unit.unit.seq()).toList();
  }

  @Test
  void cpuUnitsGoOneByOneUntilTheJobsCostIsKnownThenUpToTheTarget() {
    JobState job = job("square", 5);
    WorkerState worker = worker(2, 0);
    assertEquals(
        List.of(0L), seqs(batches.take(TaskKind.CPU, job, worker, 0)), "cost unknown: one unit");
    job.recordCost(1_000_000, 1); // 1 ms an input: two fit the 2 ms target, a third would not
    assertEquals(List.of(1L, 2L), seqs(batches.take(TaskKind.CPU, job, worker, 0)));
    assertEquals(List.of(3L, 4L), seqs(batches.take(TaskKind.CPU, job, worker, 0)));
    assertEquals(
        List.of(),
        seqs(batches.take(TaskKind.CPU, job, worker, 0)),
        "nothing queued: an empty batch");
  }

  @Test
  void asyncCallsAreSharedAmongTheHungryWorkersWithinTheWorkersCredit() {
    JobState job = job("sleep", 10);
    assertEquals(
        5,
        batches.take(TaskKind.ASYNC, job, worker(0, 100), 1).size(),
        "half of ten, one other worker hungry");
    assertEquals(
        3, batches.take(TaskKind.ASYNC, job, worker(0, 3), 0).size(), "its credit of three calls");
    assertEquals(2, batches.take(TaskKind.ASYNC, job, worker(0, 100), 0).size(), "what is left");
  }
}
