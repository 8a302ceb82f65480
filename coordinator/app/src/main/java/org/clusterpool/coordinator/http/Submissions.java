package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.protocol.CoordinatorProtocol;

/**
 * {@code POST /map} and {@code POST /gather}, from request to running job, with the heap counted
 * before each step uses it:
 *
 * <ol>
 *   <li>before the body is read: a running slot and room for the body (503), and a body that says
 *       it is larger than {@code max-body} is refused (413) without reading it;
 *   <li>the body read (at most {@code max-body}, off the HTTP threads), the job's size is counted
 *       from its task and its count of inputs, a range by its bounds (413 when it never fits, 503
 *       when not now);
 *   <li>only then are the inputs parsed and checked (400), and the job started.
 * </ol>
 *
 * Meanwhile the coordinator is asked how many workers there are (the job's chunks are cut for
 * them).
 */
final class Submissions {
  /**
   * How long a submission waits for the coordinator's worker count before it goes on with the last
   * one known.
   */
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(3);

  /**
   * A body comes within this, or the request fails: a client that trickles its body holds a slot no
   * longer.
   */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A refused body this small is read and dropped, so that its connection can serve the next
   * request.
   */
  private static final long DRAIN_AT_MOST = 64 * 1024;

  private final ActorSystem<?> system;
  private final ActorRef<CoordinatorProtocol.Command> coordinator;
  private final HttpSettings settings;
  private final JobRegistry registry;
  private final JobRequests requests;
  private final ClusterView view;

  /**
   * Cpu workers at the last answer of the coordinator: sizes a job's chunks when the coordinator is
   * slow to answer.
   */
  private final AtomicInteger knownWorkers = new AtomicInteger(1);

  Submissions(
      ActorSystem<?> system,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      HttpSettings settings,
      JobRegistry registry,
      ClusterView view) {
    this.system = system;
    this.coordinator = coordinator;
    this.settings = settings;
    this.registry = registry;
    this.requests = new JobRequests(settings, TaskCatalog.forConfig(system.settings().config()));
    this.view = view;
  }

  CompletionStage<HttpResponse> submit(JobRequests.Kind kind, HttpEntity entity) {
    OptionalLong declared = entity.getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > settings.maxBody()) {
      // not read: the connection closes under the rest
      return CompletableFuture.completedFuture(ErrorResponses.bodyTooLarge(settings.maxBody()));
    }
    JobRegistry.Admission admission;
    try {
      admission = registry.admitRequest(declared.orElse(settings.maxBody()));
    } catch (ApiException e) {
      if (declared.isPresent() && declared.getAsLong() <= DRAIN_AT_MOST)
        entity.discardBytes(system);
      return CompletableFuture.completedFuture(ErrorResponses.of(e));
    }
    CompletableFuture<Integer> workers = new CompletableFuture<>();
    view.status(STATUS_TIMEOUT)
        .whenComplete(
            (status, error) -> {
              if (status != null) knownWorkers.set(Math.max(1, status.workerSlots()));
              workers.complete(knownWorkers.get());
            });
    // the ask's own timeout runs on the actor system's scheduler, which stops with the system
    workers.completeOnTimeout(
        knownWorkers.get(), STATUS_TIMEOUT.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    return entity
        .toStrict(READ_TIMEOUT.toMillis(), settings.maxBody(), system)
        .thenApplyAsync(
            strict -> {
              byte[] body = strict.getData().toArrayUnsafe();
              JobRequests.Size size = requests.size(kind, body);
              registry.resize(
                  admission,
                  size.bytes() + body.length,
                  size.what()); // the body stays while it is parsed
              int slots = workers.join(); // within STATUS_TIMEOUT
              ApiJob job =
                  requests.make(
                      kind,
                      body,
                      registry.newId(),
                      slots,
                      () -> ClusterPool.connect(system, coordinator, slots));
              registry.start(job, admission, size.bytes());
              return created(job);
            },
            registry.executor())
        .whenComplete(
            (response, error) -> admission.close()) // gives the place back if no job took it
        .exceptionally(ErrorResponses::of);
  }

  private static HttpResponse created(ApiJob job) {
    ObjectNode json = JobJson.summary(job);
    json.putObject("links")
        .put("self", "/jobs/" + job.id)
        .put("stream", "/jobs/" + job.id + "/stream");
    return Json.response(StatusCodes.CREATED, json).addHeader(Location.create("/jobs/" + job.id));
  }
}
