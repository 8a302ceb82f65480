package org.clusterpool.node.protocol;

import java.util.List;
import org.clusterpool.node.wire.CborSerializable;

/**
 * The coordinator's view: its workers, its jobs and what it has seen go wrong. The lists are cut to what one message
 * carries ({@code workersOmitted}, {@code jobsOmitted} count the rest); {@code workerCount} is always the whole.
 */
public record ClusterStatus(
    List<WorkerStatus> workers, int workersOmitted, List<JobStatus> jobs, int jobsOmitted, Counters counters)
    implements CborSerializable {

  /**
   * One worker: what it did, what it holds, and its credit as the coordinator counts it: {@code cpuCapacity} batches
   * it said it takes, {@code cpuBatchesOut} of them sent and not answered. The second never exceeds the first.
   */
  public record WorkerStatus(
      WorkerInfo info,
      long chunksDone,
      long inputsDone,
      int chunksInFlight,
      int asyncCallsInFlight,
      int cpuCapacity,
      int cpuBatchesOut) {}

  public record JobStatus(String jobId, String task, int chunksQueued, int chunksInFlight, long inputsDone, int retries) {}

  /**
   * What the coordinator has seen since it started ({@code incarnation} names this start): results that came after
   * their unit had been answered (dropped), messages it refused, units whose answer was lost and that ran again,
   * units that went back to the queue, workers it lost, and jobs it ended for want of a worker.
   */
  public record Counters(
      long incarnation,
      long lateResultsDropped,
      long badMessagesDropped,
      long lostAnswersRecovered,
      long unitsRetried,
      long workersLost,
      long jobsFailedForNoWorker) {}

  /** Cpu workers: the parallelism a job can use. */
  public int workerSlots() {
    return workers.size() + workersOmitted;
  }
}
