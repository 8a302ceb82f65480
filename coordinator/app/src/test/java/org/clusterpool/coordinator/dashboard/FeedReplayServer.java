package org.clusterpool.coordinator.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for the dashboard's server in the page's own tests (test tree only): it serves the
 * page's files from the classpath with the real server's {@code Content-Security-Policy}, replays
 * the snapshot a test sets as the {@code snapshot} events of {@code GET /ui/events} every 200 ms,
 * and records the calls the page makes to the JSON API ({@code DELETE /jobs/{id}}, {@code GET
 * /jobs/{id}?from=&limit=}), answering them with a fixed page. A test may take the feed down
 * ({@link #feedUp}) to see the page say so.
 */
final class FeedReplayServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHART = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";

  /**
   * A call the page made to the JSON API: its method, path with query, and its {@code
   * X-Clusterpool-UI} header.
   */
  record Call(String method, String path, String uiHeader) {}

  private final HttpServer server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "feed-replay");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<ObjectNode> snapshot = new AtomicReference<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile boolean feedUp = true;

  /**
   * 0: the feed and the page are served; else the status every /ui/ request gets while the feed is
   * down.
   */
  private volatile int refusal = 503;

  private FeedReplayServer(HttpServer server) {
    this.server = server;
  }

  static FeedReplayServer start(ObjectNode first) {
    try {
      HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      FeedReplayServer replay = new FeedReplayServer(http);
      replay.snapshot.set(first);
      http.setExecutor(replay.threads);
      http.createContext("/ui/", replay::ui);
      http.createContext("/jobs/", replay::jobs);
      http.start();
      return replay;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  void set(ObjectNode next) {
    snapshot.set(next);
  }

  /**
   * Down: open streams end and every {@code /ui/} request gets 503, as from a proxy whose API is
   * gone.
   */
  void feedUp(boolean up) {
    refusal = 503;
    feedUp = up;
  }

  /**
   * Open streams end and every {@code /ui/} request gets 401, as when the API forgot this browser's
   * session.
   */
  void loggedOut() {
    refusal = 401;
    feedUp = false;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  private void ui(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!feedUp) {
        send(exchange, refusal, "text/plain", refusal == 401 ? "log in again" : "the API is gone");
      } else if (path.equals("/ui/events")) {
        events(exchange);
      } else if (path.equals("/ui/")) {
        resource(exchange, "clusterpool/ui/index.html", "text/html; charset=utf-8");
      } else if (path.equals("/ui/assets/chart.umd.js")) {
        resource(exchange, CHART, "text/javascript; charset=utf-8");
      } else if (path.matches("/ui/assets/(app\\.js|app\\.css|favicon\\.svg)")) {
        String name = path.substring("/ui/assets/".length());
        String type =
            name.endsWith(".js")
                ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : "image/svg+xml";
        resource(exchange, "clusterpool/ui/" + name, type);
      } else {
        send(exchange, 404, "text/plain", "no such page");
      }
    }
  }

  private void events(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    try {
      while (feedUp) {
        ObjectNode next = snapshot.get().deepCopy();
        next.put("at", System.currentTimeMillis());
        out.write(
            ("event: snapshot\ndata: " + JSON.writeValueAsString(next) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(200);
      }
    } catch (IOException e) {
      // the page went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void jobs(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      calls.add(
          new Call(
              method,
              query == null ? path : path + "?" + query,
              exchange.getRequestHeaders().getFirst("X-Clusterpool-UI")));
      String id = path.substring("/jobs/".length());
      if (method.equals("DELETE")) {
        send(
            exchange,
            200,
            "application/json",
            JSON.writeValueAsString(Map.of("job", id, "state", "cancelled")));
      } else {
        ObjectNode page =
            JSON.createObjectNode()
                .put("job", id)
                .put("state", "done")
                .put("available", 3)
                .put("from", 0);
        page.putArray("results").add(1).add(4).add("<img src=x id=injected-result>");
        send(exchange, 200, "application/json", JSON.writeValueAsString(page));
      }
    }
  }

  private static void resource(HttpExchange exchange, String name, String type) throws IOException {
    try (InputStream in = FeedReplayServer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        send(exchange, 404, "text/plain", "not on the classpath: " + name);
        return;
      }
      byte[] body = in.readAllBytes();
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    feedUp = false;
    server.stop(0);
    threads.shutdownNow();
  }
}
