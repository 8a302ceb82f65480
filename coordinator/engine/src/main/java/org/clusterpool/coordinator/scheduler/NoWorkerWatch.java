package org.clusterpool.coordinator.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds the jobs with work that no live worker can run (none is left, or none of the nodes left has
 * the job's task at its version) for {@code clusterpool.job.no-workers-timeout}, and names why: the
 * workers lost and what they ran, or what each node has. So a job without workers ends with its
 * cause instead of waiting for ever.
 */
final class NoWorkerWatch {
  /** A job that fails for want of a worker, and the one-line cause its client gets. */
  record Overdue(JobState job, String cause) {}

  private final Duration timeout;

  NoWorkerWatch(Duration timeout) {
    this.timeout = timeout;
  }

  /** Starts or stops each job's no-worker clock, and returns the jobs whose clock has run out. */
  List<Overdue> overdue(
      long now,
      Collection<JobState> jobs,
      NodeCatalogs catalogs,
      boolean noWorkers,
      WorkerLosses losses) {
    List<Overdue> overdue = new ArrayList<>(0);
    for (JobState job : jobs) {
      if (job.open() == 0 || catalogs.runnable(job.signature())) {
        job.hasWorker();
        continue;
      }
      job.noWorkerSince(now);
      if (!job.noWorkerFor(now, timeout.toNanos())) continue;
      String cause =
          noWorkers
              ? "no worker has been available for "
                  + shown(timeout)
                  + " (clusterpool.job.no-workers-timeout): "
                  + losses.describe()
              : "no worker that runs task "
                  + job.signature().describe()
                  + " has been available for "
                  + shown(timeout)
                  + " (clusterpool.job.no-workers-timeout): "
                  + catalogs.whyNot(job.signature());
      overdue.add(new Overdue(job, cause));
    }
    return overdue;
  }

  /** {@code 60 s}, or {@code 300 ms} below a second. */
  private static String shown(Duration duration) {
    return duration.toMillis() < 1000 ? duration.toMillis() + " ms" : duration.toSeconds() + " s";
  }
}
