package org.clusterpool.coordinator.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The jobs this API accepted: each runs on a thread of its own and is kept {@code keep-finished} after it ends.
 * Memory is bounded by results: the jobs hold at most {@code max-results} (a running job counts all it expects),
 * finished jobs are forgotten first, oldest first, and a job that still does not fit waits for the running
 * ones: it is refused with 503.
 */
final class JobRegistry implements AutoCloseable {
  private final HttpSettings settings;
  private final Map<String, ApiJob> jobs = new ConcurrentHashMap<>();
  /** Ids unique across coordinator replicas, so that a client never mixes up the jobs of two of them. */
  private final String idPrefix = Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xF000));
  private final AtomicLong counter = new AtomicLong();
  private final ExecutorService runners;

  JobRegistry(HttpSettings settings) {
    this.settings = settings;
    AtomicInteger threads = new AtomicInteger();
    // a job's thread mostly waits for results: cheap, and it keeps the HTTP dispatcher free
    this.runners = Executors.newCachedThreadPool(run -> {
      Thread thread = new Thread(run, "clusterpool-api-job-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Where jobs run, and where request bodies are read: off the HTTP dispatcher. */
  Executor executor() {
    return runners;
  }

  String newId() {
    return idPrefix + "-" + counter.incrementAndGet();
  }

  /** Accepts the job and starts it, or refuses it with 503 when the API is full. */
  synchronized void start(ApiJob job) {
    forgetExpired();
    long running = jobs.values().stream().filter(j -> j.state() == ApiJob.State.RUNNING).count();
    if (running >= settings.maxRunningJobs()) {
      throw ApiException.unavailable(running + " jobs run already, the most this API runs at once"
          + " (clusterpool.http.max-running-jobs): retry when one ends");
    }
    makeRoom(job.total);
    jobs.put(job.id, job);
    runners.execute(job::run);
  }

  Optional<ApiJob> get(String id) {
    ApiJob job = jobs.get(id);
    if (job != null && expired(job, Instant.now())) {
      jobs.remove(id);
      return Optional.empty();
    }
    return Optional.ofNullable(job);
  }

  /** Every job kept, newest first. */
  List<ApiJob> list() {
    forgetExpired();
    List<ApiJob> all = new ArrayList<>(jobs.values());
    all.sort(Comparator.comparing((ApiJob j) -> j.submitted).reversed());
    return all;
  }

  /** Forgets finished jobs past {@code keep-finished}; the API calls it now and then. */
  synchronized void forgetExpired() {
    Instant now = Instant.now();
    jobs.values().removeIf(job -> expired(job, now));
  }

  private boolean expired(ApiJob job, Instant now) {
    Instant ended = job.ended();
    return ended != null && ended.plus(settings.keepFinished()).isBefore(now);
  }

  /** Forgets finished jobs, oldest first, until {@code results} more fit; 503 if the running ones leave no room. */
  private void makeRoom(long results) {
    long held = jobs.values().stream().mapToLong(ApiJob::heldResults).sum();
    if (held + results <= settings.maxResults()) return;
    List<ApiJob> finished = new ArrayList<>();
    for (ApiJob job : jobs.values()) if (job.state() != ApiJob.State.RUNNING) finished.add(job);
    finished.sort(Comparator.comparing(ApiJob::ended));
    for (ApiJob job : finished) {
      if (held + results <= settings.maxResults()) break;
      jobs.remove(job.id);
      held -= job.heldResults();
    }
    if (held + results > settings.maxResults()) {
      throw ApiException.unavailable("the running jobs hold " + held + " of the " + settings.maxResults()
          + " results this API keeps (clusterpool.http.max-results): retry when they end");
    }
  }

  /** Cancels the running jobs and stops their threads: the API is going away. */
  @Override
  public void close() {
    for (ApiJob job : jobs.values()) {
      job.cancel("the coordinator node that ran it is shutting down; submit it again to a running coordinator");
    }
    runners.shutdown();
  }
}
