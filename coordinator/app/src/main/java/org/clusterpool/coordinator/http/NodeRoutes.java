package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.members.NodeSupervision;
import org.clusterpool.node.handle.Futures;
import org.clusterpool.node.launcher.NodeExit;
import org.clusterpool.node.launcher.NodeSupervisor;
import org.clusterpool.node.launcher.SupervisedNode;

/**
 * The worker JVMs this member started and supervises ({@code cluster up}'s coordinator): {@code GET
 * /nodes} lists them (pid, restarts, how each last ended), {@code POST /nodes {"count": K}} starts
 * K more, supervised like the others, and answers 201 with them once their JVMs run (joining the
 * cluster takes them a moment more). A member that supervises no JVM answers 404.
 */
final class NodeRoutes extends AllDirectives {
  static final int MAX_ADDED = 64;

  private final ActorSystem<?> system;

  private NodeRoutes(ActorSystem<?> system) {
    this.system = system;
  }

  static Route route(ActorSystem<?> system) {
    return new NodeRoutes(system).route();
  }

  private Route route() {
    return concat(
        get(() -> complete(Json.response(StatusCodes.OK, list(supervisor().nodes())))),
        post(
            () ->
                RequestGuard.json(
                    () ->
                        extractRequestEntity(
                            entity ->
                                completeWithFuture(
                                    entity
                                        .toStrict(BODY_TIMEOUT_MILLIS, MAX_BODY, system)
                                        .thenCompose(
                                            strict -> add(parse(strict.getData().utf8String())))
                                        .exceptionally(NodeRoutes::failed))))));
  }

  private NodeSupervisor supervisor() {
    return NodeSupervision.get(system)
        .supervisor()
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "this member supervises no worker JVMs: only the coordinator that 'cluster up'"
                        + " starts does"));
  }

  private CompletionStage<HttpResponse> add(JsonNode body) {
    JsonNode count = body.path("count");
    if (!body.isObject()
        || body.size() != 1
        || !count.canConvertToInt()
        || !count.isIntegralNumber()
        || count.asInt() < 1
        || count.asInt() > MAX_ADDED) {
      throw ApiException.badRequest(
          "POST /nodes takes {\"count\": K} with K a whole number from 1 to "
              + MAX_ADDED
              + ", got "
              + cut(body.toString()));
    }
    return supervisor()
        .add(count.asInt())
        .thenApply(added -> Json.response(StatusCodes.CREATED, list(added)))
        .exceptionally(NodeRoutes::failed);
  }

  /**
   * A supervisor that is stopping (the member shuts down) adds nothing: 503, as for a member that
   * is not ready.
   */
  private static HttpResponse failed(Throwable failure) {
    Throwable e = Futures.cause(failure);
    if (ErrorResponses.isTooLarge(e))
      return Json.error(
          StatusCodes.CONTENT_TOO_LARGE,
          "POST /nodes takes a body of at most " + MAX_BODY + " bytes: {\"count\": K}");
    return ErrorResponses.of(
        e instanceof IllegalStateException ? ApiException.unavailable(e.getMessage()) : e);
  }

  /** The body of {@code POST /nodes} is one small object: anything longer is refused unread. */
  private static final long MAX_BODY = 1024;

  private static final long BODY_TIMEOUT_MILLIS = 5_000;

  /** A key given twice would be read as its last value, silently. */
  private static final ObjectMapper STRICT =
      Json.MAPPER.copy().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static JsonNode parse(String body) {
    try {
      return STRICT.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String reason = e.getOriginalMessage().lines().findFirst().orElse("");
      throw ApiException.badRequest(
          reason.startsWith("Duplicate field")
              ? "POST /nodes takes {\"count\": K} once: " + Echo.line(reason)
              : "POST /nodes takes {\"count\": K}, got text that is not JSON: " + Echo.quote(body));
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(
          "POST /nodes takes {\"count\": K}, got text that is not JSON: " + Echo.quote(body));
    }
  }

  /** JSON text is escaped already: only its length needs a bound. */
  private static String cut(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  private ObjectNode list(List<SupervisedNode> nodes) {
    ObjectNode json = Json.object();
    Address self = Cluster.get(system).selfMember().address();
    ArrayNode list = json.putArray("nodes");
    for (SupervisedNode node : nodes) {
      ObjectNode n =
          list.addObject()
              .put("number", node.number())
              .put("name", node.name())
              .put(
                  "address",
                  new Address(self.protocol(), self.system(), self.host().get(), node.port())
                      .toString())
              .put("port", node.port())
              .put("pid", node.pid())
              .put("state", node.state().name().toLowerCase(Locale.ROOT))
              .put("restarts", node.restarts());
      node.lastExit().ifPresent(exit -> exit(n.putObject("last_exit"), exit));
    }
    return json;
  }

  private static void exit(ObjectNode json, NodeExit exit) {
    json.put("pid", exit.pid())
        .put("code", exit.code())
        .put("cause", exit.cause())
        .put("at", exit.at().toString())
        .put("uptime_ms", exit.uptime().toMillis())
        .put("member", exit.member().phrase());
    exit.restartDelay().ifPresent(d -> json.put("restart_delay_ms", d.toMillis()));
    ArrayNode tail = json.putArray("log_tail");
    exit.logTail().forEach(tail::add);
  }
}
