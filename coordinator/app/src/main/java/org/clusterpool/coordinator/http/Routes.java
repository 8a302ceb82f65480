package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.clusterpool.coordinator.connect.ApiToken;
import org.clusterpool.coordinator.dashboard.Dashboard;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.task.Task;

/**
 * The routes of the coordinator's HTTP API. Jobs run on this node, as clients of the coordinator (a
 * Cluster Singleton, reached through its proxy wherever it runs), each with a pool of its own,
 * sized to the cluster when the job starts.
 *
 * <p>What the routes are and what each does is written once, in {@link ApiRoute#ALL}: {@code GET /}
 * serves that list, and a test checks that README's table of the API names exactly those routes.
 *
 * <p>Every request passes the {@link RequestGuard} first: the token, its own host and origin, JSON
 * bodies only. The probes of Kubernetes are not here but on Pekko Management's port ({@code
 * /alive}, {@code /ready}), without a token. Every answer is bounded in bytes ({@code
 * max-page-bytes}, {@code max-line-bytes}), and every job in heap ({@link JobRegistry}).
 */
final class Routes extends AllDirectives {
  /** How long a request waits for the coordinator's status before it goes on without it. */
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);

  private static final int MAX_PAGE = 100_000;

  /** Jobs a page of {@code GET /jobs} lists unless told, and at most. */
  private static final int JOBS_PAGE = 100;

  private static final int MAX_JOBS_PAGE = 1000;

  private final ActorSystem<?> system;
  private final HttpSettings settings;
  private final JobRegistry registry;
  private final ClusterView view;
  private final Submissions submissions;

  /** This member's tasks: what it reads inputs for (the nodes have their own). */
  private final TaskCatalog catalog;

  private final RequestGuard guard;

  /** The dashboard's page, feed, login and {@code /metrics}. */
  private final Dashboard dashboard;

  Routes(
      ActorSystem<?> system,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      HttpSettings settings,
      JobRegistry registry,
      ApiAccess access,
      boolean https) {
    this.system = system;
    this.settings = settings;
    this.registry = registry;
    this.view = new ClusterView(system, coordinator);
    this.dashboard =
        new Dashboard(
            new ApiDashboardSources(system, view, registry),
            access.token().map(ApiToken::value),
            https);
    this.guard = new RequestGuard(access, settings, dashboard);
    this.submissions = new Submissions(system, coordinator, settings, registry, view);
    this.catalog = TaskCatalog.forConfig(system.settings().config());
  }

  Route route() {
    return handleExceptions(
        ErrorResponses.exceptions(),
        () ->
            handleRejections(
                ErrorResponses.rejections(),
                () ->
                    guard.guard(
                        () ->
                            concat(
                                pathEndOrSingleSlash(
                                    () ->
                                        get(
                                            () ->
                                                complete(Json.response(StatusCodes.OK, index())))),
                                path("map", () -> post(() -> submit(JobRequests.Kind.MAP))),
                                path("gather", () -> post(() -> submit(JobRequests.Kind.GATHER))),
                                pathPrefix(
                                    "jobs",
                                    () ->
                                        concat(
                                            pathEndOrSingleSlash(
                                                () ->
                                                    get(
                                                        () ->
                                                            parameterOptional(
                                                                "before",
                                                                before ->
                                                                    parameterOptional(
                                                                        "limit",
                                                                        limit ->
                                                                            complete(
                                                                                jobs(
                                                                                    before,
                                                                                    limit)))))),
                                            pathPrefix(
                                                id ->
                                                    concat(
                                                        pathEndOrSingleSlash(
                                                            () ->
                                                                concat(
                                                                    get(
                                                                        () ->
                                                                            parameterOptional(
                                                                                "from",
                                                                                from ->
                                                                                    parameterOptional(
                                                                                        "limit",
                                                                                        limit ->
                                                                                            complete(
                                                                                                page(
                                                                                                    id,
                                                                                                    from,
                                                                                                    limit))))),
                                                                    delete(
                                                                        () ->
                                                                            complete(cancel(id))))),
                                                        path(
                                                            "stream",
                                                            () ->
                                                                get(
                                                                    () ->
                                                                        parameterOptional(
                                                                            "from",
                                                                            from ->
                                                                                complete(
                                                                                    stream(
                                                                                        id,
                                                                                        from))))))))),
                                path("cluster", () -> get(() -> completeWithFuture(cluster()))),
                                path("nodes", () -> NodeRoutes.route(system)),
                                path("tasks", () -> get(() -> completeWithFuture(tasks()))),
                                path("health", () -> get(() -> completeWithFuture(health()))),
                                dashboard.route()))));
  }

  // ---- jobs

  /**
   * The body is read and the job made by {@link Submissions}, the heap counted before each step.
   */
  private Route submit(JobRequests.Kind kind) {
    return RequestGuard.json(
        () -> extractRequestEntity(entity -> completeWithFuture(submissions.submit(kind, entity))));
  }

  private ApiJob job(String id) {
    return registry
        .get(id)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no job "
                        + Echo.quote(id)
                        + " here: a job is kept "
                        + settings.keepFinished().toMinutes()
                        + " minutes after it ends (clusterpool.http.keep-finished) while there is"
                        + " room (clusterpool.http.max-kept-jobs, max-result-bytes), and only by"
                        + " the coordinator node it was submitted to"));
  }

  /**
   * A page of the jobs kept, newest first: those submitted before {@code before}, with the next
   * page's link.
   */
  private HttpResponse jobs(Optional<String> before, Optional<String> limit) {
    int size = number("limit", limit, JOBS_PAGE, 1, MAX_JOBS_PAGE);
    String after = before.map(String::strip).orElse(null);
    if (after != null && JobRegistry.seq(after) < 0) {
      throw ApiException.badRequest(
          "?before= must be a job's id, like the one in a page's \"next\", got "
              + Echo.quote(after));
    }
    List<ApiJob> page = registry.page(after, size + 1); // one more: whether a next page exists
    boolean more = page.size() > size;
    return Json.json(
        StatusCodes.OK,
        JobJson.jobsPage(more ? page.subList(0, size) : page, more, size, settings.maxPageBytes()));
  }

  private HttpResponse page(String id, Optional<String> from, Optional<String> limit) {
    ApiJob job = job(id);
    int start = number("from", from, 0, 0, Integer.MAX_VALUE);
    int size = number("limit", limit, settings.pageSize(), 1, MAX_PAGE);
    return Json.json(StatusCodes.OK, JobJson.page(job, start, size, settings.maxPageBytes()));
  }

  private HttpResponse stream(String id, Optional<String> from) {
    ApiJob job = job(id);
    int start = number("from", from, 0, 0, Integer.MAX_VALUE);
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(
            HttpEntities.createChunked(
                Json.NDJSON,
                JobStream.of(
                    job,
                    start,
                    settings.heartbeat(),
                    settings.maxLineBytes(),
                    system.executionContext())));
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
    throw ApiException.badRequest(
        "?"
            + name
            + "= must be a whole number from "
            + min
            + " to "
            + max
            + ", got "
            + Echo.quote(text.get()));
  }

  // ---- the cluster

  private CompletionStage<HttpResponse> cluster() {
    return view.describe(STATUS_TIMEOUT, (int) registry.running(), registry.kept())
        .thenApply(json -> Json.response(StatusCodes.OK, json))
        .exceptionally(ErrorResponses::of);
  }

  /**
   * Asks the coordinator with a short timeout ({@code health-timeout}): a probe must not wait long.
   */
  private CompletionStage<HttpResponse> health() {
    boolean clustered = ApiDashboardSources.clustered(system);
    return view.status(settings.healthTimeout())
        .handle(
            (status, error) -> {
              MemberStatus member =
                  clustered
                      ? Cluster.get(system).selfMember().status()
                      : MemberStatus.up(); // embedded: up while it runs
              boolean up = member == MemberStatus.up();
              ObjectNode json =
                  Json.object()
                      .put("member", self())
                      .put("status", member.toString())
                      .put("coordinator_answers", status != null);
              return Json.response(
                  up && status != null ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE, json);
            });
  }

  /**
   * This member's catalog (what {@code POST /map} reads inputs for: each task with its fingerprint
   * and where it comes from), and the versions of tasks the worker nodes have, as the coordinator
   * knows them: a client checks there that the cluster runs its task, at its version, before it
   * sends any input.
   */
  private CompletionStage<HttpResponse> tasks() {
    ObjectNode json = Json.object();
    json.put("member", self());
    ArrayNode list = json.putArray("tasks");
    for (TaskCatalog.Entry entry : catalog.entries()) {
      Task<?, ?> task = entry.task();
      list.addObject()
          .put("name", task.name())
          .put("kind", task.kind().name().toLowerCase(Locale.ROOT))
          .put("input", task.inputType().name())
          .put("output", task.outputType().name())
          .put("description", task.description())
          .put("fingerprint", entry.fingerprint())
          .put("source", entry.source().label());
    }
    return view.status(STATUS_TIMEOUT)
        .handle(
            (status, error) -> {
              ObjectNode nodes = json.putObject("nodes");
              if (status == null) {
                nodes.put("answers", false);
                nodes.put(
                    "error",
                    "the coordinator did not answer within " + STATUS_TIMEOUT.toSeconds() + " s");
              } else {
                nodes.put("answers", true);
                ClusterView.taskVersions(nodes, status);
              }
              return Json.response(StatusCodes.OK, json);
            });
  }

  private ObjectNode index() {
    ObjectNode json = Json.object();
    json.put("service", "clusterpool coordinator HTTP API");
    json.put("member", self());
    ArrayNode routes = json.putArray("routes");
    for (ApiRoute route : ApiRoute.ALL)
      routes.addObject().put("route", route.route()).put("does", route.does());
    return json;
  }

  /** This member's address; an embedded pool's system, which runs no Pekko Cluster, has its own. */
  private String self() {
    return ApiDashboardSources.clustered(system)
        ? Cluster.get(system).selfMember().address().toString()
        : system.address().toString();
  }
}
