package org.clusterpool.coordinator.scheduler;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.clusterpool.node.protocol.JobEvent;
import org.clusterpool.node.task.TaskKind;

/**
 * The coordinator's live jobs: by id, by client (a client that stops takes its jobs with it), and
 * in their rounds. A job that ends is forgotten here in one step, so that no round or client keeps
 * it.
 */
final class Jobs {
  private final Map<String, JobState> byId = new LinkedHashMap<>();
  private final Map<ActorRef<JobEvent>, Set<String>> byClient = new HashMap<>();
  private final JobRounds rounds = new JobRounds();

  JobState get(String jobId) {
    return byId.get(jobId);
  }

  boolean contains(JobState job) {
    return byId.containsKey(job.jobId());
  }

  Collection<JobState> all() {
    return byId.values();
  }

  int size() {
    return byId.size();
  }

  /** A new job; true when its client had no job yet (the coordinator then watches it). */
  boolean add(JobState job) {
    byId.put(job.jobId(), job);
    Set<String> clientJobs = byClient.get(job.client());
    boolean newClient = clientJobs == null;
    if (newClient) {
      clientJobs = new HashSet<>();
      byClient.put(job.client(), clientJobs);
    }
    clientJobs.add(job.jobId());
    return newClient;
  }

  /**
   * The job ended: true when its client has no job left (the coordinator then stops watching it).
   */
  boolean forget(JobState job) {
    byId.remove(job.jobId());
    rounds.leave(job);
    Set<String> clientJobs = byClient.get(job.client());
    if (clientJobs == null) return false;
    clientJobs.remove(job.jobId());
    if (!clientJobs.isEmpty()) return false;
    byClient.remove(job.client());
    return true;
  }

  /** The client stopped: the jobs it had, which it no longer counts as its own. */
  List<JobState> clientStopped(ActorRef<JobEvent> client) {
    Set<String> clientJobs = byClient.remove(client);
    if (clientJobs == null) return List.of();
    return clientJobs.stream().map(byId::get).filter(job -> job != null).toList();
  }

  /** The job takes a turn in its round if it is live and has queued units. */
  void ready(JobState job) {
    if (contains(job)) rounds.join(job);
  }

  JobState nextInRound(TaskKind kind) {
    return rounds.next(kind);
  }

  void putBack(TaskKind kind, List<JobState> setAside) {
    rounds.putBack(kind, setAside, this);
  }
}
