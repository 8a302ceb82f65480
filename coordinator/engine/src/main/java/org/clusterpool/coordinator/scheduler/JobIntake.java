package org.clusterpool.coordinator.scheduler;

import org.clusterpool.node.catalog.AllowedTasks;
import org.clusterpool.node.protocol.CoordinatorProtocol.SubmitJob;
import org.clusterpool.node.protocol.JobEvent.JobRejected;
import org.clusterpool.node.protocol.TaskSignature;

/**
 * Whether a job may start here, answered before anything of it is kept: a malformed start, a job id
 * another client uses, a task the operator does not allow (whoever sends the job), and a task that
 * no node runs once every node has said what it runs are each refused with a one-line reason.
 */
final class JobIntake {
  private final AllowedTasks allowed;

  JobIntake(AllowedTasks allowed) {
    this.allowed = allowed;
  }

  /**
   * The refusal of a start that fails its checks ({@code problem}), or null when nobody can be told
   * (no id or reply).
   */
  static JobRejected malformed(SubmitJob submit, String problem) {
    if (submit.replyTo() == null || submit.jobId() == null) return null;
    return new JobRejected(submit.jobId(), JobRejected.REFUSED, "the job was refused: " + problem);
  }

  /** The refusal of a job whose id a live job of another client has. */
  static JobRejected idInUse(SubmitJob submit) {
    return new JobRejected(
        submit.jobId(), JobRejected.REFUSED, "job id " + submit.jobId() + " is already in use");
  }

  /**
   * The refusal of a new job, or null when it may start (and perhaps wait for a node that runs its
   * task).
   */
  JobRejected refusal(SubmitJob submit, NodeCatalogs catalogs) {
    TaskSignature task = submit.task();
    if (!allowed.permits(task.name())) {
      return new JobRejected(
          submit.jobId(),
          JobRejected.TASK_NOT_ALLOWED,
          "the job was refused: " + allowed.whyNot(task.name()));
    }
    if (catalogs.allLiveKnown()
        && !catalogs.runnable(task)) { // every node has said what it runs: none runs this
      return new JobRejected(
          submit.jobId(),
          JobRejected.TASK_UNAVAILABLE,
          "the job was refused: " + catalogs.whyNot(task));
    }
    return null;
  }
}
