package org.clusterpool.coordinator.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.clusterpool.node.protocol.TaskSignature;

/**
 * Finds the jobs with work that no live worker can run (none is left, none of the nodes left has
 * the job's task at its version, or every worker that has it is held by a cpu unit past its
 * deadline that has not stopped) for {@code clusterpool.job.no-workers-timeout}, and names why: the
 * workers lost and what they ran, what each node has, or what holds each worker. So a job without
 * workers ends with its cause instead of waiting for ever.
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
      WorkerLosses losses,
      Function<TaskSignature, String> heldPastDeadline) {
    List<Overdue> overdue = new ArrayList<>(0);
    for (JobState job : jobs) {
      boolean runnable = job.open() == 0 || catalogs.runnable(job.signature());
      String held = runnable && job.open() > 0 ? heldPastDeadline.apply(job.signature()) : null;
      if (runnable && held == null) {
        job.hasWorker();
        continue;
      }
      job.noWorkerSince(now);
      if (!job.noWorkerFor(now, timeout.toNanos())) continue;
      String cause =
          held != null
              ? "every worker that runs task "
                  + job.signature().describe()
                  + " has been held for "
                  + shown(timeout)
                  + " (clusterpool.job.no-workers-timeout) by a chunk that passed its deadline and"
                  + " has not stopped (its task deaf to interrupts?): "
                  + held
                  + "; a worker takes work again once its task returns (restart its JVM, or the"
                  + " pool, if it never does)"
              : noWorkers
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
