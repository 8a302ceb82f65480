package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskCatalog;

/**
 * The routes of the coordinator's HTTP API. Jobs run on this node, as clients of the coordinator (a Cluster
 * Singleton, reached through its proxy wherever it runs), each with a pool of its own, sized to the cluster
 * when the job starts.
 *
 * <pre>
 * POST   /map               {"task": "square", "inputs": "1..100", "chunksize": 10, "ordered": true}  -> 201 the job
 * POST   /gather            {"calls": ["sleep:1", "fib:25"], "return_exceptions": false, "task_group": false,
 *                            "timeout": "5s", "limit": 10}                                           -> 201 the job
 * GET    /jobs              the jobs kept, newest first
 * GET    /jobs/{id}         state, done/total, error, results ?from=N&amp;limit=M
 * GET    /jobs/{id}/stream  NDJSON: results as they come, a heartbeat, a final line with the end  ?from=N
 * DELETE /jobs/{id}         cancels the job
 * GET    /cluster           members (pid each), workers (chunks done, in flight), the coordinator's queue
 * GET    /tasks             the task catalog
 * GET    /health            200 when this member is up and the coordinator answers, else 503
 * </pre>
 */
final class Routes extends AllDirectives {
  /** How long a request waits for the coordinator's status before it goes on without it. */
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);
  private static final int MAX_PAGE = 100_000;

  private final ActorSystem<?> system;
  private final ActorRef<CoordinatorProtocol.Command> coordinator;
  private final HttpSettings settings;
  private final JobRegistry registry;
  private final JobRequests requests;
  private final ClusterView view;
  /** Cpu workers at the last answer of the coordinator: sizes a job's chunks when the coordinator is slow to answer. */
  private final AtomicInteger knownWorkers = new AtomicInteger(1);

  Routes(ActorSystem<?> system, ActorRef<CoordinatorProtocol.Command> coordinator, HttpSettings settings, JobRegistry registry) {
    this.system = system;
    this.coordinator = coordinator;
    this.settings = settings;
    this.registry = registry;
    this.requests = new JobRequests(settings);
    this.view = new ClusterView(system, coordinator);
  }

  private interface JobMaker {
    ApiJob make(JsonNode body, String id, int workers, Supplier<ClusterPool> pools);
  }

  Route route() {
    return handleExceptions(ErrorResponses.exceptions(), () -> handleRejections(ErrorResponses.rejections(), () -> concat(
        pathEndOrSingleSlash(() -> get(() -> complete(Json.response(StatusCodes.OK, index())))),
        path("map", () -> post(() -> entity(Json.BODY, body -> submit(body, requests::map)))),
        path("gather", () -> post(() -> entity(Json.BODY, body -> submit(body, requests::gather)))),
        pathPrefix("jobs", () -> concat(
            pathEndOrSingleSlash(() -> get(() -> complete(Json.response(StatusCodes.OK, jobs())))),
            pathPrefix(id -> concat(
                pathEndOrSingleSlash(() -> concat(
                    get(() -> parameterOptional("from", from -> parameterOptional("limit", limit ->
                        complete(page(id, from, limit))))),
                    delete(() -> complete(cancel(id))))),
                path("stream", () -> get(() -> parameterOptional("from", from -> complete(stream(id, from))))))))),
        path("cluster", () -> get(() -> completeWithFuture(cluster()))),
        path("nodes", () -> NodeRoutes.route(system)),
        path("tasks", () -> get(() -> complete(Json.response(StatusCodes.OK, tasks())))),
        path("health", () -> get(() -> completeWithFuture(health()))))));
  }

  // ---- jobs

  /**
   * Asks the coordinator how many workers there are (the job's chunks are cut for them), reads the body off
   * the HTTP threads (a body may list millions of inputs), and starts the job.
   */
  private Route submit(JsonNode body, JobMaker maker) {
    CompletionStage<HttpResponse> response = view.status(STATUS_TIMEOUT)
        .handle((status, error) -> {
          if (status != null) knownWorkers.set(Math.max(1, status.workerSlots()));
          return knownWorkers.get();
        })
        .thenApplyAsync(workers -> {
          ApiJob job = maker.make(body, registry.newId(), workers, () -> ClusterPool.connect(system, coordinator, workers));
          registry.start(job);
          ObjectNode json = JobJson.summary(job);
          json.putObject("links").put("self", "/jobs/" + job.id).put("stream", "/jobs/" + job.id + "/stream");
          return Json.response(StatusCodes.CREATED, json).addHeader(Location.create("/jobs/" + job.id));
        }, registry.executor())
        .exceptionally(ErrorResponses::of);
    return completeWithFuture(response);
  }

  private ApiJob job(String id) {
    return registry.get(id).orElseThrow(() -> ApiException.notFound("no job '" + id + "' here: a job is kept "
        + settings.keepFinished().toMinutes() + " minutes after it ends (clusterpool.http.keep-finished), and only by"
        + " the coordinator node it was submitted to"));
  }

  private ObjectNode jobs() {
    ObjectNode json = Json.object();
    ArrayNode list = json.putArray("jobs");
    for (ApiJob job : registry.list()) list.add(JobJson.summary(job));
    return json;
  }

  private HttpResponse page(String id, Optional<String> from, Optional<String> limit) {
    ApiJob job = job(id);
    int start = number("from", from, 0, 0, Integer.MAX_VALUE);
    int size = number("limit", limit, settings.pageSize(), 1, MAX_PAGE);
    return Json.json(StatusCodes.OK, JobJson.page(job, start, size));
  }

  private HttpResponse stream(String id, Optional<String> from) {
    ApiJob job = job(id);
    int start = number("from", from, 0, 0, Integer.MAX_VALUE);
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.createChunked(
            Json.NDJSON, JobStream.of(job, start, settings.heartbeat(), system.executionContext())));
  }

  private HttpResponse cancel(String id) {
    ApiJob job = job(id);
    job.cancel("by DELETE /jobs/" + id);
    return Json.response(StatusCodes.OK, JobJson.summary(job));
  }

  private static int number(String name, Optional<String> text, int absent, int min, int max) {
    if (text.isEmpty()) return absent;
    try {
      int value = Integer.parseInt(text.get().strip());
      if (value >= min && value <= max) return value;
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiException.badRequest("?" + name + "= must be a whole number from " + min + " to " + max + ", got '" + text.get() + "'");
  }

  // ---- the cluster

  private CompletionStage<HttpResponse> cluster() {
    List<ApiJob> kept = registry.list();
    long running = kept.stream().filter(j -> j.state() == ApiJob.State.RUNNING).count();
    return view.describe(STATUS_TIMEOUT, (int) running, kept.size())
        .thenApply(json -> Json.response(StatusCodes.OK, json))
        .exceptionally(ErrorResponses::of);
  }

  private CompletionStage<HttpResponse> health() {
    Cluster cluster = Cluster.get(system);
    return view.status(STATUS_TIMEOUT).handle((status, error) -> {
      MemberStatus member = cluster.selfMember().status();
      boolean up = member == MemberStatus.up();
      ObjectNode json = Json.object()
          .put("member", cluster.selfMember().address().toString())
          .put("status", member.toString())
          .put("coordinator_answers", status != null);
      return Json.response(up && status != null ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, json);
    });
  }

  private static ObjectNode tasks() {
    ObjectNode json = Json.object();
    ArrayNode list = json.putArray("tasks");
    for (Task<?, ?> task : TaskCatalog.shared().all()) {
      list.addObject()
          .put("name", task.name())
          .put("kind", task.kind().name().toLowerCase(Locale.ROOT))
          .put("input", task.inputType().name())
          .put("output", task.outputType().name())
          .put("description", task.description());
    }
    return json;
  }

  private ObjectNode index() {
    ObjectNode json = Json.object();
    json.put("service", "clusterpool coordinator HTTP API");
    json.put("member", Cluster.get(system).selfMember().address().toString());
    ArrayNode routes = json.putArray("routes");
    for (List<String> route : ROUTES) routes.addObject().put("route", route.get(0)).put("does", route.get(1));
    return json;
  }

  private static final List<List<String>> ROUTES = List.of(
      List.of("POST /map", "Pool.map: {\"task\": \"square\", \"inputs\": \"1..100\" or [1, 2, 3], \"chunksize\": 10, \"ordered\": true}"),
      List.of("POST /gather", "asyncio.gather: {\"calls\": [\"sleep:1\", \"fib:25\"], \"return_exceptions\": false,"
          + " \"task_group\": false, \"timeout\": \"5s\", \"limit\": 10}"),
      List.of("GET /jobs", "the jobs kept, newest first"),
      List.of("GET /jobs/{id}", "state, done/total, error and results; ?from=N&limit=M pages through them"),
      List.of("GET /jobs/{id}/stream", "NDJSON: results as they come, a progress line while none do, a final line; ?from=N"),
      List.of("DELETE /jobs/{id}", "cancels the job"),
      List.of("GET /cluster", "members (with their pid), workers (chunks done, in flight), the coordinator's queue"),
      List.of("GET /nodes, POST /nodes", "the worker JVMs this member supervises (cluster up); {\"count\": K} starts K more"),
      List.of("GET /tasks", "the task catalog"),
      List.of("GET /health", "200 when this member is up and the coordinator answers, else 503"));
}
