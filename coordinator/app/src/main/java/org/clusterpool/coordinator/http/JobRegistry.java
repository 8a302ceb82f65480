package org.clusterpool.coordinator.http;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The jobs this API accepted: each runs on a thread of its own and is kept {@code keep-finished}
 * after it ends, and the policy that bounds the heap they hold, so that no request can run the
 * coordinator's JVM out of memory:
 *
 * <ul>
 *   <li>A request takes a running slot ({@code max-running-jobs}) and room for its body before its
 *       body is read ({@link #admitRequest}); once it says how many results its job makes, room for
 *       the job's inputs and results, estimated from their types, before anything is parsed or
 *       expanded ({@link #resize}).
 *   <li>All jobs hold at most {@code max-result-bytes}: a running job counts what it was admitted
 *       with or, if its results turn out larger, what they head for; a finished one (failed or not)
 *       what it holds. Finished jobs are forgotten, oldest first, to make room; a job that never
 *       fits gets 413, one that does not fit beside the running ones 503.
 *   <li>At most {@code max-kept-jobs} are kept: the oldest finished one goes to keep a new one.
 * </ul>
 */
final class JobRegistry implements AutoCloseable {
  private final HttpSettings settings;
  private final Map<String, ApiJob> jobs = new ConcurrentHashMap<>();

  /** Requests admitted whose job has not started yet; guarded by {@code this}. */
  private final Set<Admission> admissions = new HashSet<>();

  /**
   * Ids unique across coordinator replicas (so that a client never mixes up the jobs of two of
   * them) and unguessable: 128 random bits each, since a job's id is all a request needs to read or
   * cancel it.
   */
  private static final int ID_RANDOM_BYTES = 16;

  private final SecureRandom random = new SecureRandom();
  private final AtomicLong counter = new AtomicLong();
  private final ExecutorService runners;
  private final ApiJob.Room room =
      new ApiJob.Room() {
        @Override
        public boolean grow(ApiJob job, long bytes) {
          return JobRegistry.this.grow(job, bytes);
        }

        @Override
        public long maxBytes() {
          return settings.maxResultBytes();
        }
      };

  JobRegistry(HttpSettings settings) {
    this.settings = settings;
    AtomicInteger threads = new AtomicInteger();
    // a job's thread mostly waits for results: cheap, and it keeps the HTTP dispatcher free
    this.runners =
        Executors.newCachedThreadPool(
            run -> {
              Thread thread = new Thread(run, "clusterpool-api-job-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * A request on its way to become a job: the running slot and the heap it holds a place for until
   * then.
   */
  final class Admission implements AutoCloseable {
    private long bytes;

    private Admission(long bytes) {
      this.bytes = bytes;
    }

    /** Gives the place back, if the job did not start. */
    @Override
    public void close() {
      synchronized (JobRegistry.this) {
        admissions.remove(this);
      }
    }
  }

  /** Where jobs run, and where request bodies are read: off the HTTP dispatcher. */
  Executor executor() {
    return runners;
  }

  /**
   * {@code 3f9c...e1-42}: 128 random bits (hex), then the order of submission, which {@link #seq}
   * reads to page through the jobs newest first; the counter alone would let anyone who has one id
   * guess the others.
   */
  String newId() {
    byte[] bytes = new byte[ID_RANDOM_BYTES];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes) + "-" + counter.incrementAndGet();
  }

  /**
   * Before a request's body is read: a running slot, and room for {@code bodyBytes}; 503 when
   * either is missing (finished jobs are forgotten first to make room).
   */
  synchronized Admission admitRequest(long bodyBytes) {
    forgetExpired();
    long running = running() + admissions.size();
    if (running >= settings.maxRunningJobs()) {
      throw ApiException.unavailable(
          running
              + " jobs run already (requests being read included), the most this API"
              + " runs at once (clusterpool.http.max-running-jobs): retry when one ends");
    }
    if (!makeRoom(bodyBytes)) {
      throw ApiException.unavailable(
          "the running jobs hold about "
              + HeapSizes.mebibytes(held())
              + " of the "
              + HeapSizes.mebibytes(settings.maxResultBytes())
              + " the API's jobs may hold (clusterpool.http.max-result-bytes),"
              + " with no room left to read a request of "
              + bodyBytes
              + " bytes: retry when they end");
    }
    Admission admission = new Admission(bodyBytes);
    admissions.add(admission);
    return admission;
  }

  /**
   * Once a request says how large its job is ({@code what}, like "a map of 10000000 results of
   * 'whoami'"): the admission holds {@code bytes} from now on. 413 when the job can never fit, 503
   * when it does not fit beside the running jobs.
   */
  synchronized void resize(Admission admission, long bytes, String what) {
    if (bytes > settings.maxResultBytes()) {
      throw ApiException.tooLarge(
          what
              + " takes about "
              + HeapSizes.mebibytes(bytes)
              + " of the coordinator's heap, more"
              + " than the "
              + HeapSizes.mebibytes(settings.maxResultBytes())
              + " the API's jobs may hold in all (clusterpool.http.max-result-bytes): run fewer"
              + " inputs a job, or ask for more room with the setting (and the heap to go with"
              + " it)");
    }
    long before = admission.bytes;
    admission.bytes = 0;
    if (!makeRoom(bytes)) {
      admission.bytes = before;
      throw ApiException.unavailable(
          what
              + " takes about "
              + HeapSizes.mebibytes(bytes)
              + ", and the running jobs hold"
              + " about "
              + HeapSizes.mebibytes(held())
              + " of the "
              + HeapSizes.mebibytes(settings.maxResultBytes())
              + " the API's jobs may hold (clusterpool.http.max-result-bytes): retry when they"
              + " end");
    }
    admission.bytes = bytes;
  }

  /**
   * Starts the admitted job, which takes over the admission's place, {@code bytes} of it (the
   * request body it came in is no longer counted); the oldest finished job goes if one must.
   */
  synchronized void start(ApiJob job, Admission admission, long bytes) {
    if (!admissions.remove(admission))
      throw new IllegalStateException("the admission of job " + job.id + " was given back");
    while (jobs.size() >= settings.maxKeptJobs()) {
      ApiJob oldest = oldestFinished();
      if (oldest == null) {
        throw ApiException.unavailable(
            jobs.size()
                + " jobs run, the most this API keeps (clusterpool.http.max-kept-jobs):"
                + " retry when one ends");
      }
      jobs.remove(oldest.id);
    }
    job.admitted(Math.min(bytes, admission.bytes), room);
    jobs.put(job.id, job);
    runners.execute(
        () -> {
          try {
            job.run();
          } catch (Throwable e) {
            job.fail(
                e); // run() ends its job itself; this is for what escapes it: the job never stays
            // running
          }
        });
  }

  /**
   * Admits and starts a job made without a request, with what it projects to hold (tests,
   * embedding).
   */
  void start(ApiJob job) {
    try (Admission admission = admitRequest(0)) {
      long bytes = job.projectedBytes();
      resize(admission, bytes, "job " + job.id);
      start(job, admission, bytes);
    }
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
    all.sort(Comparator.comparingLong((ApiJob job) -> seq(job.id)).reversed());
    return all;
  }

  /**
   * The jobs submitted before {@code before} (an id; null for the newest), newest first, at most
   * {@code limit}.
   */
  List<ApiJob> page(String before, int limit) {
    long bound = before == null ? Long.MAX_VALUE : seq(before);
    List<ApiJob> page = new ArrayList<>();
    for (ApiJob job : list()) {
      if (seq(job) >= bound) continue;
      if (page.size() == limit) break;
      page.add(job);
    }
    return page;
  }

  /**
   * The order of submission, from the id's counter; -1 when the id is not one of this registry's
   * form.
   */
  static long seq(String id) {
    int dash = id.lastIndexOf('-');
    try {
      return Long.parseLong(id.substring(dash + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long seq(ApiJob job) {
    return seq(job.id);
  }

  long running() {
    return jobs.values().stream().filter(j -> j.state() == ApiJob.State.RUNNING).count();
  }

  int kept() {
    return jobs.size();
  }

  /** About the heap the jobs hold, and the admissions hold a place for. */
  synchronized long held() {
    long held = 0;
    for (ApiJob job : jobs.values()) held += job.countedBytes();
    for (Admission admission : admissions) held += admission.bytes;
    return held;
  }

  /**
   * Cancels the running jobs whose client asked for it once nobody follows them, and nobody has for
   * that long ({@code abandoned_after}); the API calls it every few seconds.
   */
  void cancelAbandoned() {
    long now = System.nanoTime();
    for (ApiJob job : List.copyOf(jobs.values())) job.cancelIfAbandoned(now);
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

  /**
   * A running job's results head past its room: more room, forgetting finished jobs if need be, or
   * false.
   */
  private synchronized boolean grow(ApiJob job, long bytes) {
    if (job.state() != ApiJob.State.RUNNING)
      return true; // it ended meanwhile: it is counted as it is
    if (bytes > settings.maxResultBytes()) return false;
    long others = held() - job.countedBytes();
    long want =
        Math.min(
            settings.maxResultBytes() - others, bytes + bytes / 8); // some slack: fewer trips here
    if (want < bytes) {
      evictFinished(others + bytes - settings.maxResultBytes());
      others = held() - job.countedBytes();
      if (others + bytes > settings.maxResultBytes()) return false;
      want = Math.min(settings.maxResultBytes() - others, bytes + bytes / 8);
    }
    job.reserve(want);
    return true;
  }

  /**
   * Makes room for {@code bytes} more, forgetting finished jobs oldest first; whether they fit now.
   */
  private boolean makeRoom(long bytes) {
    long over = held() + bytes - settings.maxResultBytes();
    if (over <= 0) return true;
    evictFinished(over);
    return held() + bytes <= settings.maxResultBytes();
  }

  /** Forgets finished jobs, oldest first, until they freed {@code bytes} or none is left. */
  private void evictFinished(long bytes) {
    List<ApiJob> finished = new ArrayList<>();
    for (ApiJob job : jobs.values()) if (job.state() != ApiJob.State.RUNNING) finished.add(job);
    finished.sort(Comparator.comparing(ApiJob::ended));
    long freed = 0;
    for (ApiJob job : finished) {
      if (freed >= bytes) break;
      jobs.remove(job.id);
      freed += job.countedBytes();
    }
  }

  private ApiJob oldestFinished() {
    ApiJob oldest = null;
    for (ApiJob job : jobs.values()) {
      if (job.state() == ApiJob.State.RUNNING) continue;
      if (oldest == null || job.ended().isBefore(oldest.ended())) oldest = job;
    }
    return oldest;
  }

  /** Cancels the running jobs and stops their threads: the API is going away. */
  @Override
  public void close() {
    for (ApiJob job : jobs.values()) {
      job.cancel(
          "the coordinator node that ran it is shutting down; submit it again to a running"
              + " coordinator");
    }
    runners.shutdown();
  }
}
