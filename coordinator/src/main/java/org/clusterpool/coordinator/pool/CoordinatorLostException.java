package org.clusterpool.coordinator.pool;

import java.time.Duration;

/** No coordinator answered for too long: its node left the cluster and no other took over. */
public final class CoordinatorLostException extends RuntimeException {
  CoordinatorLostException(Duration waited) {
    super("no coordinator for " + waited.toSeconds() + " s: its node left the cluster and no other coordinator took over;"
        + " the job was cancelled, resubmit it once a coordinator runs (clusterpool.job.coordinator-timeout)");
  }
}
