package org.clusterpool.coordinator.pool;

/**
 * The coordinator ended the job because no worker could run its work for {@code
 * clusterpool.job.no-workers-timeout}: the message names the cause (the last workers lost and what
 * they ran).
 */
public final class NoWorkersException extends RuntimeException {
  NoWorkersException(String cause) {
    super(cause);
  }
}
