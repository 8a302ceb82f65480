package org.clusterpool.coordinator.pool;

import java.time.Duration;

/**
 * No coordinator answered for too long: its node left the cluster and no other took over, or it
 * does not answer.
 */
public final class CoordinatorLostException extends RuntimeException {
  CoordinatorLostException(Duration waited) {
    super(
        "no coordinator for "
            + waited.toSeconds()
            + " s: its node left the cluster and no other coordinator took over; the job was"
            + " cancelled, resubmit it once a coordinator runs"
            + " (clusterpool.job.coordinator-timeout)");
  }

  /** The coordinator is listed but has not answered a check of the jobs for this long. */
  CoordinatorLostException(Duration waited, int jobs) {
    super(
        "the coordinator has not answered for "
            + waited.toSeconds()
            + " s while "
            + jobs
            + (jobs == 1 ? " job" : " jobs")
            + " waited for results: it is unreachable or stuck; the job was cancelled, resubmit it"
            + " once a coordinator answers (clusterpool.job.coordinator-timeout)");
  }

  /**
   * A connected cluster's HTTP API stopped answering during a job: the message says where and after
   * what.
   */
  CoordinatorLostException(String message) {
    super(message);
  }
}
