package org.clusterpool.coordinator.pool;

/**
 * Hears how a job goes, for progress bars and reports. Called on the pool's client actor: keep it
 * quick.
 */
public interface JobListener {
  JobListener NONE = new JobListener() {};

  /** {@code total} is -1 while the input's length is unknown. */
  default void progress(String jobId, long done, long total) {}

  /** A chunk runs again because its worker was lost or it passed its deadline. */
  default void chunkRetried(String jobId, long seq, int size, String reason) {}
}
