package org.clusterpool.coordinator.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.clusterpool.node.handle.Inventory;
import org.clusterpool.node.pipe.PipeStats;
import org.clusterpool.node.protocol.Activity;
import org.clusterpool.node.protocol.ClusterStatus;
import org.clusterpool.node.queue.QueueStats;

/**
 * The one maker of the dashboard's snapshots: every page's feed and {@code /metrics} ask it, and
 * within {@link #MAX_AGE} of the last one (or while one is being made) they all get the same, so
 * that ten pages cost what one does. It runs only when asked: with no page open and nobody
 * scraping, nothing here runs at all.
 */
public final class Snapshots {
  static final Duration MAX_AGE = Duration.ofMillis(100);

  /**
   * How long a snapshot waits for the coordinator and the members before it goes on without them.
   */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

  static final int MAX_JOBS = 200;
  static final int MAX_MEMBERS = 500;
  static final int MAX_QUEUES = 100;
  static final int MAX_PIPES = 100;
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String UNREACHABLE =
      "the coordinator's member is unreachable: not asked until it is back or downed";
  static final List<String> FAULTS =
      List.of(
          "late_results_dropped",
          "lost_answers_recovered",
          "units_retried",
          "workers_lost",
          "jobs_failed_for_no_worker");

  private final DashboardSources sources;
  private final Rates rates = new Rates();
  private final ResultTotals totals = new ResultTotals();
  private final SpanLog spans = new SpanLog();
  private final AtomicLong made = new AtomicLong();

  /** Guarded by {@code this}. */
  private CompletableFuture<Snapshot> last;

  private long lastStartedNanos;

  public Snapshots(DashboardSources sources) {
    this.sources = sources;
  }

  /** The snapshot of the last {@link #MAX_AGE}, or the one being made, or a new one. */
  public synchronized CompletableFuture<Snapshot> current() {
    long now = System.nanoTime();
    if (last != null && (!last.isDone() || now - lastStartedNanos < MAX_AGE.toNanos())) return last;
    lastStartedNanos = now;
    last = make();
    return last;
  }

  /**
   * Snapshots made since the API started: what the tests watch to see that a closed page costs
   * nothing.
   */
  public long made() {
    return made.get();
  }

  private CompletableFuture<Snapshot> make() {
    made.incrementAndGet();
    String node = sources.coordinatorNode();
    // a coordinator on an unreachable member could not answer before the timeout: not asked, the
    // snapshot says so
    boolean cutOff = node != null && sources.unreachable(node);
    CompletableFuture<ClusterStatus> status =
        cutOff
            ? CompletableFuture.failedFuture(new IllegalStateException(UNREACHABLE))
            : sources.status(ASK_TIMEOUT).toCompletableFuture();
    CompletableFuture<List<DashboardSources.Member>> members =
        sources.members(ASK_TIMEOUT, MAX_MEMBERS).toCompletableFuture();
    CompletableFuture<Activity> activity =
        cutOff
            ? CompletableFuture.failedFuture(new IllegalStateException(UNREACHABLE))
            : sources
                .activity(spans.lastSeq(), Activity.MAX_SPANS, ASK_TIMEOUT)
                .toCompletableFuture();
    CompletableFuture<Inventory.Found<QueueStats>> queues =
        sources.queues(ASK_TIMEOUT).toCompletableFuture();
    CompletableFuture<Inventory.Found<PipeStats>> pipes =
        sources.pipes(ASK_TIMEOUT).toCompletableFuture();
    return CompletableFuture.allOf(
            Stream.of(status, members, activity, queues, pipes)
                .map(f -> f.handle((v, e) -> null))
                .toArray(CompletableFuture[]::new))
        .thenApply(
            all ->
                build(
                    node,
                    cutOff,
                    orNull(status),
                    members.isCompletedExceptionally() ? List.of() : members.join(),
                    orNull(activity),
                    orNull(queues),
                    orNull(pipes)));
  }

  private static <T> T orNull(CompletableFuture<T> answer) {
    return answer.isCompletedExceptionally() ? null : answer.join();
  }

  private Snapshot build(
      String node,
      boolean cutOff,
      ClusterStatus status,
      List<DashboardSources.Member> members,
      Activity activity,
      Inventory.Found<QueueStats> queues,
      Inventory.Found<PipeStats> pipes) {
    long at = System.currentTimeMillis();
    ObjectNode json = MAPPER.createObjectNode();
    json.put("at", at);
    json.put("mode", sources.mode());
    json.put("self", sources.self());
    ObjectNode coordinator = ClusterJson.coordinator(json, node, status != null, ASK_TIMEOUT);
    if (status != null) coordinator.putNull("error");
    else if (cutOff) coordinator.put("error", UNREACHABLE);
    members(json.putArray("members"), members);
    long resultsTotal = workers(json.putArray("workers"), status);
    Map<String, String> apiIds = new HashMap<>();
    Map<String, Double> jobRates = jobs(json.putArray("jobs"), status, at, apiIds);
    if (activity != null) spans(activity, apiIds, at);
    ObjectNode throughput = json.putObject("throughput");
    throughput.put(
        "total",
        Math.round(jobRates.values().stream().mapToDouble(Double::doubleValue).sum() * 10) / 10.0);
    ObjectNode perJob = throughput.putObject("jobs");
    jobRates.forEach(perJob::put);
    queues(json.putArray("queues"), queues);
    pipes(json.putArray("pipes"), pipes);
    faults(json.putObject("faults"), status);
    String text;
    try {
      text = MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write the dashboard's snapshot: " + e.getMessage(), e);
    }
    return new Snapshot(at, json, text, spans.rows(), spans.lastSeq(), resultsTotal);
  }

  private static void members(ArrayNode array, List<DashboardSources.Member> members) {
    for (DashboardSources.Member m : members) ClusterJson.member(array, m);
  }

  /** The workers; the results made in all (a counter that never goes back). */
  private long workers(ArrayNode array, ClusterStatus status) {
    if (status == null) return totals.total();
    Map<String, Long> doneByWorker = new HashMap<>();
    for (ClusterStatus.WorkerStatus w : status.workers()) {
      ClusterJson.worker(array, w, "");
      doneByWorker.put(w.info().node() + "/" + w.info().name(), w.inputsDone());
    }
    return totals.update(doneByWorker);
  }

  /**
   * The API's jobs and the coordinator's jobs of other clients, running first then newest; their
   * rates by id.
   */
  private Map<String, Double> jobs(
      ArrayNode array, ClusterStatus status, long at, Map<String, String> apiIds) {
    List<ObjectNode> rows = new ArrayList<>();
    Map<String, Long> done = new HashMap<>();
    for (DashboardSources.ApiJobRow job : sources.apiJobs()) {
      if (job.coordinatorPrefix() != null) apiIds.put(job.coordinatorPrefix(), job.id());
      ObjectNode row =
          Snapshots.MAPPER
              .createObjectNode()
              .put("id", job.id())
              .put("kind", job.kind())
              .put("task", job.task())
              .put("state", job.state())
              .put("done", job.done())
              .put("total", job.total())
              .put("retries", job.retried())
              .put("started", job.startedMillis());
      row.set("error", ErrorRow.of(job.error()));
      row.put("source", "api");
      rows.add(row);
      done.put(job.id(), job.done());
    }
    if (status != null) {
      for (ClusterStatus.JobStatus j : status.jobs()) {
        if (apiIds.containsKey(DashboardSources.ApiJobRow.prefixOf(j.jobId())))
          continue; // a part of an API job
        ObjectNode row =
            Snapshots.MAPPER
                .createObjectNode()
                .put("id", j.jobId())
                .put("kind", "map")
                .put("task", j.task())
                .put("state", "running")
                .put("done", j.inputsDone());
        row.putNull("total");
        row.put("retries", j.retries());
        row.putNull("started");
        row.putNull("error");
        row.put("source", "client");
        rows.add(row);
        done.put(j.jobId(), j.inputsDone());
      }
    }
    Map<String, Double> jobRates = rates.record(at, done);
    rows.sort(
        Comparator.comparing((ObjectNode row) -> !row.path("state").asText().equals("running"))
            .thenComparing(
                Comparator.comparingLong(
                        (ObjectNode row) -> row.path("started").asLong(Long.MAX_VALUE))
                    .reversed()));
    for (ObjectNode row : rows.subList(0, Math.min(MAX_JOBS, rows.size()))) {
      double rate = jobRates.getOrDefault(row.path("id").asText(), 0.0);
      row.put("rate", rate);
      if (row.path("state").asText().equals("running")
          && rate > 0
          && row.path("total").isNumber()) {
        long left = row.path("total").asLong() - row.path("done").asLong();
        row.put("eta_seconds", Math.round(Math.max(0, left) / rate * 10) / 10.0);
      } else {
        row.putNull("eta_seconds");
      }
      array.add(row);
    }
    // the jobs that made results within the window, and those running (at 0 when they made none)
    Map<String, Double> moving = new HashMap<>();
    for (ObjectNode row : rows) {
      String id = row.path("id").asText();
      double rate = jobRates.getOrDefault(id, 0.0);
      if (rate > 0 || row.path("state").asText().equals("running")) moving.put(id, rate);
    }
    return moving;
  }

  /** The spans new since the last snapshot, into the log every connection cuts its own from. */
  private void spans(Activity activity, Map<String, String> apiIds, long at) {
    boolean restarted =
        activity.gap()
            && (activity.spans().isEmpty()
                ? activity.lastSeq() < spans.lastSeq()
                : activity.spans().get(0).seq() <= spans.lastSeq());
    if (restarted) spans.reset();
    List<SpanLog.Row> rows = new ArrayList<>(activity.spans().size());
    for (Activity.Span span : activity.spans()) {
      ObjectNode json =
          MAPPER
              .createObjectNode()
              .put("seq", span.seq())
              .put("worker", span.worker())
              .put("node", span.node())
              .put(
                  "job",
                  apiIds.getOrDefault(
                      DashboardSources.ApiJobRow.prefixOf(span.jobId()), span.jobId()))
              .put("task", span.task())
              .put("start", span.startMillis())
              .put("end", span.endMillis())
              .put("inputs", span.inputs())
              .put("outcome", span.outcome().name().toLowerCase(Locale.ROOT));
      rows.add(new SpanLog.Row(span.seq(), span.endMillis(), json.toString()));
    }
    spans.add(rows, activity.lastSeq(), at);
  }

  private static void queues(ArrayNode array, Inventory.Found<QueueStats> found) {
    if (found == null) return;
    for (QueueStats q : found.answered()) {
      if (array.size() >= MAX_QUEUES) break;
      array
          .addObject()
          .put("name", q.info().name())
          .put("node", q.node())
          .put("size", q.size())
          .put("maxsize", q.info().maxsize())
          .put("unacknowledged", q.unacknowledged())
          .put("parked_puts", q.parkedPuts())
          .put("parked_gets", q.parkedGets())
          .put("clients", q.clients())
          .put("accepted", q.accepted())
          .put("delivered", q.delivered())
          .put("redelivered", q.redelivered())
          .put("closed", q.closed());
    }
  }

  private static void pipes(ArrayNode array, Inventory.Found<PipeStats> found) {
    if (found == null) return;
    for (PipeStats p : found.answered()) {
      if (array.size() >= MAX_PIPES) break;
      array
          .addObject()
          .put("name", p.name())
          .put("end", p.end())
          .put("node", p.node())
          .put("direct", p.direct())
          .put("buffered", p.buffered())
          .put("sent", p.sent())
          .put("received", p.received())
          .put("blocked_sends", p.blockedSends())
          .put("blocked_recvs", p.blockedRecvs())
          .put("closed", p.closed());
    }
  }

  private static void faults(ObjectNode json, ClusterStatus status) {
    if (status == null) { // unknown while the coordinator does not answer: not zero
      for (String name : FAULTS) json.putNull(name);
      return;
    }
    ClusterStatus.Counters c = status.counters();
    json.put("late_results_dropped", c.lateResultsDropped())
        .put("lost_answers_recovered", c.lostAnswersRecovered())
        .put("units_retried", c.unitsRetried())
        .put("workers_lost", c.workersLost())
        .put("jobs_failed_for_no_worker", c.jobsFailedForNoWorker());
  }
}
