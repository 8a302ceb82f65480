package org.clusterpool.coordinator.http;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.clusterpool.coordinator.dashboard.Dashboard;
import org.clusterpool.coordinator.input.Echo;

/**
 * What every request passes before a route sees it, so that neither another user of the machine nor
 * a web page in a browser can use the API:
 *
 * <ol>
 *   <li>its {@code Host}, and its {@code Origin} when it has one, name this API (localhost, this
 *       member's addresses, {@code clusterpool.http.allowed-hosts}): a page from elsewhere, or a
 *       name rebound to this address, gets 403;
 *   <li>it carries the token ({@code Authorization: Bearer TOKEN}), compared in constant time, or
 *       the dashboard's session cookie (on GET; on another method only with the {@code
 *       X-Clusterpool-UI} header, which a page of another site cannot send), or it is a login
 *       link's ticket ({@link Dashboard#admits}): else 401;
 *   <li>a body it sends to a JSON route ({@link #json}) is {@code application/json}: a form or
 *       {@code text/plain}, which a page may post without asking the browser first, gets 415.
 * </ol>
 *
 * No answer carries a CORS header, so a browser shows no page from elsewhere what the API answers.
 */
final class RequestGuard extends AllDirectives {
  private final ApiAccess access;
  private final Set<String> names;
  private final boolean anyInterface;
  private final Dashboard dashboard;

  RequestGuard(ApiAccess access, HttpSettings settings, Dashboard dashboard) {
    this.access = access;
    this.dashboard = dashboard;
    this.names = new HashSet<>();
    names.add("localhost");
    settings.access().allowedHosts().forEach(host -> names.add(host.toLowerCase(Locale.ROOT)));
    InetAddress bound = address(settings.iface()).orElse(null);
    this.anyInterface = bound == null || bound.isAnyLocalAddress();
    if (!anyInterface) {
      names.add(settings.iface().toLowerCase(Locale.ROOT));
      names.add(bound.getHostAddress().toLowerCase(Locale.ROOT));
    }
  }

  Route guard(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          Optional<HttpResponse> refused = hostRefused(request).or(() -> originRefused(request));
          if (refused.isPresent()) return complete(refused.get());
          if (access.token().isPresent()
              && !access
                  .token()
                  .get()
                  .acceptsHeader(request.getHeader("Authorization").map(h -> h.value()))
              && !dashboard.admits(request)) {
            return complete(dashboard.refusal(request).orElseGet(() -> unauthorized(request)));
          }
          return inner.get();
        });
  }

  /** For a route that reads a JSON body: 415 for any other content type. */
  static Route json(Supplier<Route> inner) {
    return new JsonBodies().json(inner);
  }

  private Optional<HttpResponse> hostRefused(HttpRequest request) {
    String host = request.getHeader("Host").map(h -> h.value()).orElse("");
    if (host.isEmpty() || ownHost(hostName(host))) return Optional.empty();
    return Optional.of(
        Json.error(
            StatusCodes.FORBIDDEN,
            "the request names host "
                + Echo.quote(host)
                + ", which is not this API's: use localhost or this member's address, or add the"
                + " name to clusterpool.http.allowed-hosts"));
  }

  private Optional<HttpResponse> originRefused(HttpRequest request) {
    Optional<String> origin = request.getHeader("Origin").map(h -> h.value());
    if (origin.isEmpty()) return Optional.empty();
    String host;
    try {
      URI uri = new URI(origin.get().strip());
      host = uri.getHost();
    } catch (URISyntaxException e) {
      host = null;
    }
    if (host != null && ownHost(hostName(host))) return Optional.empty();
    return Optional.of(
        Json.error(
            StatusCodes.FORBIDDEN,
            "requests from a web page of "
                + Echo.quote(origin.get())
                + " are refused: the API answers programs (curl, clusterpool --connect), not pages"
                + " of other sites"));
  }

  private HttpResponse unauthorized(HttpRequest request) {
    boolean given = request.getHeader("Authorization").isPresent();
    String message =
        (given ? "the token given is not this API's" : "this API asks for a token")
            + ": send 'Authorization: Bearer TOKEN' with "
            + access.hint()
            + " (README, \"Security\")";
    return Json.error(StatusCodes.UNAUTHORIZED, message)
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "clusterpool")));
  }

  private static final class JsonBodies extends AllDirectives {
    Route json(Supplier<Route> inner) {
      return extractRequestEntity(
          entity ->
              entity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)
                  ? inner.get()
                  : complete(
                      Json.error(
                          StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                          "the request body is "
                              + Echo.quote(entity.getContentType().mediaType().toString())
                              + ": the API takes application/json only"
                              + " (curl -H 'Content-Type: application/json')")));
    }
  }

  private boolean ownHost(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (names.contains(name)) return true;
    Optional<InetAddress> literal = ipLiteral(name);
    if (literal.isEmpty()) return false;
    InetAddress address = literal.get();
    if (address.isLoopbackAddress()) return true;
    if (!anyInterface) return names.contains(address.getHostAddress().toLowerCase(Locale.ROOT));
    try {
      return NetworkInterface.getByInetAddress(address) != null; // one of this machine's addresses
    } catch (SocketException e) {
      return false;
    }
  }

  /** {@code host:port}, {@code [::1]:port}: the name or address without the port and brackets. */
  private static String hostName(String host) {
    String h = host.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon >= 0 && h.indexOf(':', colon + 1) < 0 ? h.substring(0, colon) : h;
  }

  /** An address written as one (never a name looked up: that would ask DNS on every request). */
  private static Optional<InetAddress> ipLiteral(String text) {
    if (!text.matches("[0-9.]+|[0-9a-f:.%]*:[0-9a-f:.%]*")) return Optional.empty();
    return address(text);
  }

  private static Optional<InetAddress> address(String text) {
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
