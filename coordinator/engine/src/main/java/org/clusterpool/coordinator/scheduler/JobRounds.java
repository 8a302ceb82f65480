package org.clusterpool.coordinator.scheduler;

import java.util.ArrayDeque;
import java.util.List;
import org.clusterpool.node.task.TaskKind;

/**
 * The jobs with queued units, one round per kind of task: each turn of a round hands out one batch
 * of its job, so that several jobs share the workers rather than the first one taking them all.
 */
final class JobRounds {
  private final ArrayDeque<JobState> cpu = new ArrayDeque<>();
  private final ArrayDeque<JobState> async = new ArrayDeque<>();

  private ArrayDeque<JobState> of(TaskKind kind) {
    return kind == TaskKind.CPU ? cpu : async;
  }

  /** The job joins its round at the back, once, if it has queued units. */
  void join(JobState job) {
    if (job.isInRound() || !job.hasQueued()) return;
    job.joinedRound();
    of(job.kind()).addLast(job);
  }

  /** The next job of the round that has queued units, taken out of it; null when none has. */
  JobState next(TaskKind kind) {
    ArrayDeque<JobState> round = of(kind);
    JobState job;
    while ((job = round.pollFirst()) != null) {
      job.leftRound();
      if (job.hasQueued()) return job;
    }
    return null;
  }

  /** Jobs taken out of the round that no worker could take go back to its front, in their order. */
  void putBack(TaskKind kind, List<JobState> setAside, Jobs live) {
    ArrayDeque<JobState> round = of(kind);
    for (int i = setAside.size() - 1; i >= 0; i--) {
      JobState aside = setAside.get(i);
      if (aside.isInRound() || !live.contains(aside) || !aside.hasQueued()) continue;
      aside.joinedRound();
      round.addFirst(aside);
    }
  }

  /** The job ended: it leaves its round. */
  void leave(JobState job) {
    if (!job.isInRound()) return;
    job.leftRound();
    of(job.kind()).remove(job);
  }
}
