package org.clusterpool.coordinator.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The dashboard's routes, behind the API's guard:
 *
 * <pre>
 * GET /ui/                  the page (index.html)
 * GET /ui/assets/{file}     its files, and chart.umd.js (Chart.js, from its webjar)
 * GET /ui/events            the live feed (server-sent events, one snapshot every 500 ms)
 * GET /ui/login?ticket=T    redeems a login link's ticket: the session cookie, then 303 to /ui/
 * GET /metrics              Prometheus' text format 0.0.4
 * </pre>
 */
final class DashboardRoutes extends AllDirectives {
  private static final ContentType METRICS = ContentTypes.parse(MetricsText.CONTENT_TYPE);
  private static final ContentType EVENT_STREAM = MediaTypes.TEXT_EVENT_STREAM.toContentType();

  private final Dashboard dashboard;

  DashboardRoutes(Dashboard dashboard) {
    this.dashboard = dashboard;
  }

  Route route() {
    return concat(
        pathPrefix(
            "ui",
            () ->
                concat(
                    pathEnd(
                        () ->
                            get(
                                () ->
                                    redirect(
                                        org.apache.pekko.http.javadsl.model.Uri.create("/ui/"),
                                        StatusCodes.SEE_OTHER))),
                    pathSingleSlash(() -> get(() -> complete(dashboard.assets().index()))),
                    path("index.html", () -> get(() -> complete(dashboard.assets().index()))),
                    pathPrefix(
                        "assets",
                        () -> path(name -> get(() -> complete(dashboard.assets().file(name))))),
                    path("events", () -> get(this::events)),
                    path("login", () -> get(() -> parameterOptional("ticket", this::login))))),
        path("metrics", () -> get(() -> completeWithFuture(metrics()))));
  }

  private Route events() {
    Optional<Source<ByteString, NotUsed>> feed = dashboard.feed().connect();
    if (feed.isEmpty()) {
      return complete(
          Refusals.json(
              StatusCodes.SERVICE_UNAVAILABLE,
              Feed.MAX_CONNECTIONS
                  + " dashboard pages are connected to this member already, the most it serves:"
                  + " close one"));
    }
    return complete(
        HttpResponse.create()
            .withStatus(StatusCodes.OK)
            .withEntity(HttpEntities.createChunked(EVENT_STREAM, feed.get()))
            .addHeader(RawHeader.create("Cache-Control", "no-cache")));
  }

  private Route login(Optional<String> ticket) {
    if (dashboard.tickets().isEmpty()) { // the API asks for no token: nothing to log in to
      return redirect(
          org.apache.pekko.http.javadsl.model.Uri.create("/ui/"), StatusCodes.SEE_OTHER);
    }
    return extractRequest(
        request -> {
          long now = System.currentTimeMillis();
          if (ticket.isEmpty()) {
            return complete(
                Refusals.json(
                    StatusCodes.BAD_REQUEST,
                    "a login link is /ui/login?ticket=T; " + Refusals.HOW));
          }
          String why = dashboard.tickets().get().redeem(ticket.get(), now);
          if (why != null) return complete(Refusals.unauthorized(request, why));
          String session = dashboard.sessions().open(now);
          String cookie =
              Sessions.COOKIE
                  + "="
                  + session
                  + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                  + Sessions.LIFETIME.toSeconds()
                  + (dashboard.https() ? "; Secure" : "");
          return complete(
              HttpResponse.create()
                  .withStatus(StatusCodes.SEE_OTHER)
                  .addHeader(Location.create("/ui/"))
                  .addHeader(RawHeader.create("Set-Cookie", cookie))
                  .addHeader(RawHeader.create("Cache-Control", "no-store"))
                  .addHeader(RawHeader.create("Referrer-Policy", "no-referrer")));
        });
  }

  private CompletionStage<HttpResponse> metrics() {
    Feed feed = dashboard.feed();
    Snapshots snapshots = dashboard.snapshots();
    return snapshots
        .current()
        .thenApply(
            snapshot ->
                HttpResponse.create()
                    .withStatus(StatusCodes.OK)
                    .withEntity(
                        METRICS,
                        MetricsText.of(snapshot, feed.open(), feed.events(), snapshots.made())
                            .getBytes(StandardCharsets.UTF_8)));
  }
}
