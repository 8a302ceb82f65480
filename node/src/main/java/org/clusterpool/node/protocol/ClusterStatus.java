package org.clusterpool.node.protocol;

import java.util.List;
import org.clusterpool.node.wire.CborSerializable;

/** The coordinator's view: its workers and its jobs. */
public record ClusterStatus(List<WorkerStatus> workers, List<JobStatus> jobs) implements CborSerializable {

  public record WorkerStatus(WorkerInfo info, long chunksDone, long inputsDone, int chunksInFlight, int asyncCallsInFlight) {}

  public record JobStatus(String jobId, String task, int chunksQueued, int chunksInFlight, long inputsDone, int retries) {}

  /** Cpu workers: the parallelism a job can use. */
  public int workerSlots() {
    return workers.size();
  }
}
