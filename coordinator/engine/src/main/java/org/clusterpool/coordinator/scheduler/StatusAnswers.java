package org.clusterpool.coordinator.scheduler;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.protocol.MessageBudget;

/**
 * The answers to what others ask of the coordinator's state: the cluster's status, and which of a
 * client's jobs it lacks. Each is built under the message budget: a status lists as many entries as
 * one message carries and counts the rest; a job check goes in as many messages as its ids need.
 */
final class StatusAnswers {
  /** What one entry of a status answer takes besides its names: field names and numbers. */
  private static final long STATUS_ENTRY = 256;

  private final MessageBudget budget;
  private final long incarnation;

  StatusAnswers(MessageBudget budget, long incarnation) {
    this.budget = budget;
    this.incarnation = incarnation;
  }

  ClusterStatus status(
      Workers workers,
      Units units,
      Jobs jobs,
      NodeCatalogs catalogs,
      ClusterStatus.Counters counters) {
    long bytes = 0;
    List<ClusterStatus.WorkerStatus> workerStatus = new ArrayList<>();
    for (WorkerState w : workers.all()) {
      long size =
          STATUS_ENTRY + MessageBudget.text(w.info.name()) + MessageBudget.text(w.info.node());
      if (!budget.fits(bytes, size)) break;
      bytes += size;
      workerStatus.add(
          new ClusterStatus.WorkerStatus(
              w.info,
              w.chunksDone(),
              w.inputsDone(),
              units.currentOn(w),
              w.asyncCallsOut(),
              w.cpuCapacity(),
              w.cpuBatchesOut()));
    }
    List<ClusterStatus.JobStatus> jobStatus = new ArrayList<>();
    for (JobState j : jobs.all()) {
      long size = STATUS_ENTRY + MessageBudget.text(j.jobId()) + MessageBudget.text(j.task());
      if (!budget.fits(bytes, size)) break;
      bytes += size;
      jobStatus.add(
          new ClusterStatus.JobStatus(
              j.jobId(),
              j.task(),
              j.open() - j.inFlight(),
              j.inFlight(),
              j.inputsDone(),
              j.retries()));
    }
    ClusterStatus.TaskVersion[] versions = catalogs.versions();
    List<ClusterStatus.TaskVersion> taskVersions = new ArrayList<>();
    for (ClusterStatus.TaskVersion version : versions) {
      long size = NodeCatalogs.bytes(version);
      if (!budget.fits(bytes, size)) break;
      bytes += size;
      taskVersions.add(version);
    }
    return new ClusterStatus(
        workerStatus,
        workers.size() - workerStatus.size(),
        jobStatus,
        jobs.size() - jobStatus.size(),
        counters,
        catalogs.liveNodes(),
        taskVersions,
        versions.length - taskVersions.size(),
        catalogs.liveNodesNotSaid());
  }

  /**
   * Which of the client's jobs this coordinator lacks, in whole or in part, in as many answers as
   * they need.
   */
  List<JobEvent.JobsChecked> jobsChecked(List<CoordinatorProtocol.JobCheck> checks, Jobs jobs) {
    List<JobEvent.JobsChecked> answers = new ArrayList<>(1);
    List<String> unknown = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    long bytes = 0;
    for (CoordinatorProtocol.JobCheck asked : checks) {
      if (asked == null || asked.jobId() == null) continue;
      JobState job = jobs.get(asked.jobId());
      List<String> list;
      if (job == null) list = unknown;
      else if (job.chunksReceived() < asked.chunksSent()
          || (asked.lastSent() && !job.hasLastChunk())) list = missing;
      else continue;
      long size = MessageBudget.text(asked.jobId());
      if (!budget.fits(bytes, size)) {
        answers.add(new JobEvent.JobsChecked(incarnation, unknown, missing));
        unknown = new ArrayList<>();
        missing = new ArrayList<>();
        list = job == null ? unknown : missing;
        bytes = 0;
      }
      list.add(asked.jobId());
      bytes += size;
    }
    answers.add(new JobEvent.JobsChecked(incarnation, unknown, missing));
    return answers;
  }
}
