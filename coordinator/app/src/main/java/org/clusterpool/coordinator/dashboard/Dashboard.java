package org.clusterpool.coordinator.dashboard;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Cookie;
import org.apache.pekko.http.javadsl.model.headers.HttpCookiePair;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The dashboard of one HTTP API: its routes ({@code /ui/...}, {@code /metrics}), its shared
 * snapshots, and its login (tickets, sessions). The API's {@code RequestGuard} asks it whether a
 * request without the token may pass: a login link's ticket, or the session cookie on a read, and
 * on DELETE of a job only with {@link #UI_HEADER}, which a page of another site cannot send without
 * a CORS preflight that the API never grants. Running work and starting nodes want the token.
 */
public final class Dashboard {
  public static final String UI_HEADER = "X-Clusterpool-UI";
  static final String LOGIN_PATH = "/ui/login";

  private final Snapshots snapshots;
  private final Feed feed;
  private final Optional<LoginTickets> tickets;
  private final Sessions sessions = new Sessions();
  private final UiAssets assets = new UiAssets();

  /** Whether the API speaks HTTPS: then the browser sends the session's cookie over HTTPS only. */
  private final boolean https;

  /**
   * {@code token}: the API's, empty when it asks for none (then no login is needed); {@code https}:
   * whether the API speaks HTTPS.
   */
  public Dashboard(DashboardSources sources, Optional<String> token, boolean https) {
    this.https = https;
    this.snapshots = new Snapshots(sources);
    this.feed = new Feed(snapshots);
    this.tickets = token.map(LoginTickets::new);
  }

  public Route route() {
    return new DashboardRoutes(this).route();
  }

  boolean https() {
    return https;
  }

  /**
   * Whether {@code request}, without the token, may pass: the login route (it checks the ticket),
   * or a session.
   */
  public boolean admits(HttpRequest request) {
    if (request.getUri().path().equals(LOGIN_PATH) && request.method().equals(HttpMethods.GET)) {
      return true; // the route checks the ticket: without one, 400 saying what it accepts
    }
    Optional<String> session = cookie(request);
    if (session.isEmpty() || !pageUses(request)) return false;
    return sessions.valid(session.get(), System.currentTimeMillis());
  }

  /**
   * What a session passes: any read, and of the rest only what the page does, a job's cancel (with
   * {@link #UI_HEADER}). A browser sends a host's cookies to every port of that host, so a server
   * of another user on this machine could see the cookie: with it, it can watch and cancel, never
   * run work or start nodes (those want the token).
   */
  private static boolean pageUses(HttpRequest request) {
    if (request.method().equals(HttpMethods.GET) || request.method().equals(HttpMethods.HEAD))
      return true;
    return request.method().equals(HttpMethods.DELETE)
        && request.getUri().path().startsWith("/jobs/")
        && request.getHeader(UI_HEADER).isPresent();
  }

  /**
   * The refusal of a request that has neither the token nor a session: for a browser on {@code
   * /ui/}, a page.
   */
  public Optional<HttpResponse> refusal(HttpRequest request) {
    if (!request.getUri().path().startsWith("/ui")) return Optional.empty();
    boolean cookie = cookie(request).isPresent();
    return Optional.of(
        Refusals.unauthorized(
            request,
            cookie
                ? "this browser's session ended or is not this API's (a restarted coordinator"
                    + " forgets its sessions)"
                : "the dashboard asks for a login"));
  }

  /** The session cookie's value, if the request has one. */
  private static Optional<String> cookie(HttpRequest request) {
    Optional<Cookie> header = request.getHeader(Cookie.class);
    if (header.isEmpty()) return Optional.empty();
    for (HttpCookiePair pair : header.get().getCookies()) {
      if (pair.name().equals(Sessions.COOKIE)) return Optional.of(pair.value());
    }
    return Optional.empty();
  }

  Snapshots snapshots() {
    return snapshots;
  }

  Feed feed() {
    return feed;
  }

  Optional<LoginTickets> tickets() {
    return tickets;
  }

  Sessions sessions() {
    return sessions;
  }

  UiAssets assets() {
    return assets;
  }
}
