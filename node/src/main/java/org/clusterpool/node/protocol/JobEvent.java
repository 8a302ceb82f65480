package org.clusterpool.node.protocol;

import java.util.List;
import org.clusterpool.node.wire.CborSerializable;
import org.clusterpool.node.wire.Values;

/** What the coordinator tells the client that submitted a job. */
public sealed interface JobEvent extends CborSerializable
    permits JobEvent.PartsDone,
        JobEvent.ChunkRetried,
        JobEvent.JobRejected,
        JobEvent.JobFailed,
        JobEvent.JobsChecked {

  /**
   * Results, for one or more chunks of one client's jobs: all that one message from a worker
   * completed, so that a burst of small results costs one message, not one each. {@code
   * workerSlots} is how many cpu workers the cluster has now, for sizing chunks.
   */
  record PartsDone(List<PartDone> parts, int workerSlots) implements JobEvent {}

  /**
   * Outputs for the inputs {@code offset .. offset + outputs.size()} of chunk {@code seq}: the
   * whole chunk, or a part of it after a split. Sent once per input, whatever happened to the
   * workers. {@code nanos} is the compute time.
   */
  record PartDone(
      String jobId,
      long seq,
      int offset,
      Values outputs,
      List<ElementError> errors,
      String worker,
      long nanos) {}

  /** A chunk went back to the queue: its worker was lost or it passed its deadline. */
  record ChunkRetried(String jobId, long seq, int offset, int size, String reason)
      implements JobEvent {}

  /**
   * The coordinator refused the job before any of it ran. {@code kind} is {@code "TaskUnavailable"}
   * when no node has the job's task at the version it means (the reason names the task and what
   * each node has), {@code "Refused"} for a job that is wrong in itself, {@code "TaskNotAllowed"}
   * for a task that {@code clusterpool.tasks.allowed} leaves out.
   */
  record JobRejected(String jobId, String kind, String reason) implements JobEvent {
    public static final String TASK_UNAVAILABLE = "TaskUnavailable";
    public static final String TASK_NOT_ALLOWED = "TaskNotAllowed";
    public static final String REFUSED = "Refused";
  }

  /**
   * The coordinator ended the job before all its results were in; {@code cause} names why in one
   * line. {@code kind} is {@code "NoWorkers"} when no worker could run its queued work for too
   * long.
   */
  record JobFailed(String jobId, String kind, String cause) implements JobEvent {}

  /**
   * The answer to {@link CoordinatorProtocol.CheckJobs}: the jobs the coordinator does not know (it
   * is a new incarnation, or the job's first message was lost) and those it knows with fewer chunks
   * than the client sent. The client sends the unfinished chunks of both again.
   */
  record JobsChecked(long incarnation, List<String> unknown, List<String> missingChunks)
      implements JobEvent {}
}
