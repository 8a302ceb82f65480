package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.clusterpool.coordinator.testcluster.SharedCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API is closed by default: every route wants the token, a page of another site or a name
 * rebound to this address is refused, a body that is not JSON is refused, and job ids cannot be
 * guessed.
 */
@ExtendWith(SharedCluster.Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class HttpSecurityTest {
  private URI url;
  private Http http;
  private Http anonymous;
  private Http wrong;

  @BeforeAll
  void start(SharedCluster cluster) {
    url = cluster.url();
    http = new Http(url, cluster.token());
    anonymous = new Http(url);
    wrong = new Http(url, cluster.token().substring(1) + "x"); // the same length, one character off
  }

  /**
   * {@code METHOD /path} of every route that {@code GET /} lists, with a real job's id in place of
   * {id}.
   */
  private List<String[]> routes(String job) {
    List<String[]> routes = new ArrayList<>();
    for (ApiRoute route : ApiRoute.ALL) {
      for (String one : route.endpoints()) {
        String[] methodAndPath = one.split(" ");
        routes.add(
            new String[] {
              methodAndPath[0], methodAndPath[1].replace("{id}", job).replace("{file}", "app.css")
            });
      }
    }
    routes.add(new String[] {"GET", "/"});
    routes.add(
        new String[] {
          "GET", "/no-such-route"
        }); // nothing tells a caller without the token what exists
    return routes;
  }

  private Http.Response call(Http client, String method, String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.resolve(path))
            .header("Content-Type", "application/json")
            .method(
                method,
                method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofString("{}")
                    : HttpRequest.BodyPublishers.noBody());
    return client.send(request);
  }

  @Test
  void everyRouteWantsTheTokenAndRefusesAWrongOne() {
    Http.Response created = http.post("/map", "{\"task\": \"square\", \"inputs\": \"1..3\"}");
    assertEquals(201, created.status(), created.raw().body());
    String job = created.json().path("job").asText();
    http.awaitEnd(job);
    List<String[]> routes = routes(job);
    assertTrue(routes.size() >= ApiRoute.ALL.size() + 2, "the table lists the routes");
    for (String[] route : routes) {
      String what = route[0] + " " + route[1];
      for (Http client : List.of(anonymous, wrong)) {
        Http.Response refused = call(client, route[0], route[1]);
        if (what.equals(
            "GET /ui/login")) { // a login link carries no token: without its ticket, what it
          // accepts
          assertEquals(400, refused.status(), what + ": " + refused.raw().body());
          assertFalse(
              refused.error().isEmpty() || refused.error().contains("\n"),
              what + ": one line: " + refused.error());
          continue;
        }
        assertEquals(401, refused.status(), what + ": " + refused.raw().body());
        assertFalse(
            refused.error().isEmpty() || refused.error().contains("\n"),
            what + ": one line: " + refused.error());
        assertTrue(
            refused.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
            what);
        assertFalse(refused.raw().body().contains(job), what + ": nothing of the job is told");
      }
      if (route[1].equals("/ui/events"))
        continue; // the dashboard's feed never ends: DashboardHttpTest reads it with the token
      HttpRequest.Builder withToken =
          HttpRequest.newBuilder(url.resolve(route[1]))
              .header("Content-Type", "application/json")
              .method(
                  route[0],
                  route[0].equals("POST")
                      ? HttpRequest.BodyPublishers.ofString("{}")
                      : HttpRequest.BodyPublishers.noBody());
      assertNotEquals(
          401,
          http.sendRaw(withToken).status(),
          what + " with the token"); // not all answer JSON: /metrics, /ui/
    }
    assertTrue(
        anonymous.get("/cluster").error().startsWith("this API asks for a token"),
        anonymous.get("/cluster").error());
    assertTrue(
        wrong.get("/cluster").error().startsWith("the token given is not this API's"),
        wrong.get("/cluster").error());
    // the scheme's name is case-insensitive (RFC 7235); the token is not
    assertEquals(
        200,
        anonymous
            .send(
                HttpRequest.newBuilder(url.resolve("/cluster"))
                    .header("Authorization", "bearer " + SharedCluster.TOKEN))
            .status());
    assertEquals(
        401,
        anonymous
            .send(
                HttpRequest.newBuilder(url.resolve("/cluster"))
                    .header(
                        "Authorization", "Bearer " + SharedCluster.TOKEN.toUpperCase(Locale.ROOT)))
            .status());
    assertEquals(
        401,
        anonymous
            .send(
                HttpRequest.newBuilder(url.resolve("/cluster"))
                    .header("Authorization", "Basic " + SharedCluster.TOKEN))
            .status());
  }

  @Test
  void aBodyThatIsNotJsonIsRefusedWith415() {
    int kept = http.get("/jobs?limit=1000").json().path("jobs").size();
    for (String path : List.of("/map", "/gather", "/nodes")) {
      for (String type :
          List.of(
              "text/plain",
              "application/x-www-form-urlencoded",
              "multipart/form-data; boundary=x")) {
        Http.Response refused =
            http.send(
                HttpRequest.newBuilder(url.resolve(path))
                    .header("Content-Type", type)
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"task\": \"square\", \"inputs\": \"1..3\"}")));
        assertEquals(415, refused.status(), path + " " + type + ": " + refused.raw().body());
        assertTrue(refused.error().contains("application/json only"), refused.error());
      }
    }
    Http.Response untyped =
        http.send(
            HttpRequest.newBuilder(url.resolve("/map"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"task\": \"square\", \"inputs\": \"1..3\"}")));
    assertEquals(415, untyped.status(), "no content type is not JSON: " + untyped.raw().body());
    assertEquals(
        kept,
        http.get("/jobs?limit=1000").json().path("jobs").size(),
        "a refused body makes no job");
  }

  @Test
  void aForeignOriginIsRefusedAndNoCorsHeaderIsSent() {
    for (String origin :
        List.of(
            "https://evil.example",
            "http://127.0.0.1.evil.example",
            "null",
            "http://localhost.example:" + url.getPort())) {
      Http.Response refused =
          http.send(HttpRequest.newBuilder(url.resolve("/cluster")).header("Origin", origin).GET());
      assertEquals(403, refused.status(), origin + ": " + refused.raw().body());
      assertTrue(refused.error().startsWith("requests from a web page of"), refused.error());
      Http.Response posted =
          http.send(
              HttpRequest.newBuilder(url.resolve("/map"))
                  .header("Origin", origin)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"task\": \"square\", \"inputs\": \"1\"}")));
      assertEquals(403, posted.status(), origin + ": " + posted.raw().body());
      assertTrue(
          posted.raw().headers().map().keySet().stream()
              .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-")),
          "no CORS header: " + posted.raw().headers());
    }
    Http.Response own =
        http.send(
            HttpRequest.newBuilder(url.resolve("/cluster"))
                .header("Origin", "http://127.0.0.1:" + url.getPort())
                .GET());
    assertEquals(200, own.status(), own.raw().body());
    assertTrue(
        own.raw().headers().map().keySet().stream()
            .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-")));
    Http.Response preflight =
        http.send(
            HttpRequest.newBuilder(url.resolve("/map"))
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertEquals(
        403, preflight.status(), "a browser's preflight gets no leave: " + preflight.raw().body());
  }

  /**
   * A name rebound to 127.0.0.1 (DNS rebinding) reaches the port, but names another host: refused.
   */
  @Test
  void aForeignHostIsRefused() throws IOException {
    String refused = rawGet("evil.example:" + url.getPort());
    assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
    assertTrue(refused.contains("which is not this API's"), refused);
    assertTrue(rawGet("localhost:" + url.getPort()).startsWith("HTTP/1.1 200"));
    assertTrue(rawGet("127.0.0.1:" + url.getPort()).startsWith("HTTP/1.1 200"));
    assertTrue(rawGet("[::1]:" + url.getPort()).startsWith("HTTP/1.1 200"));
    assertTrue(rawGet("127.0.0.1.evil.example").startsWith("HTTP/1.1 403"));
  }

  /**
   * A request too malformed to reach the routes (no token needed to send one) is answered as every
   * error is, one JSON line, cut short and with its escape characters escaped.
   */
  @Test
  void aMalformedRequestLineGetsAShortJsonError() throws IOException {
    String target = "/" + "%zz".repeat(600) + "\u001b[31m";
    for (String request :
        List.of(
            "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "GET /health HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Content-Length: 99999999999999999999\r\n\r\n",
            "\u001b[2J /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
      String answer = raw(request);
      assertTrue(answer.startsWith("HTTP/1.1 4") || answer.startsWith("HTTP/1.1 501"), answer);
      assertTrue(answer.contains("application/json"), answer);
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      JsonNode error = Json.MAPPER.readTree(body);
      assertTrue(error.path("error").asText().startsWith("the request could not be read: "), body);
      assertTrue(body.length() < 1200, body);
      assertFalse(body.contains("\u001b"), body);
    }
    assertTrue(rawGet("127.0.0.1:" + url.getPort()).startsWith("HTTP/1.1 200"));
  }

  private String raw(String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 5000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new String(socket.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
  }

  private String rawGet(String host) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", url.getPort()), 5000);
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /cluster HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nAuthorization: Bearer "
                  + SharedCluster.TOKEN
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
  }

  @Test
  void jobIdsCarryMoreThan96RandomBitsAndAreListedForATokenHolder() {
    Set<String> randoms = new HashSet<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Http.Response created = http.post("/map", "{\"task\": \"square\", \"inputs\": \"1..2\"}");
      assertEquals(201, created.status(), created.raw().body());
      String id = created.json().path("job").asText();
      assertTrue(
          id.matches("[0-9a-f]{32}-[0-9]+"),
          "128 random bits, then the order of submission: " + id);
      randoms.add(id.substring(0, 32));
      ids.add(id);
    }
    assertEquals(5, randoms.size(), "each id draws its own random bits: " + ids);
    for (String id : ids) http.awaitEnd(id);
    JsonNode page = http.get("/jobs?limit=1000").json();
    assertTrue(page.path("jobs").findValuesAsText("job").containsAll(ids), page.toString());
    // one id tells nothing of the next: the one after the last, with its counter, is not a job
    String last = ids.get(ids.size() - 1);
    long seq = Long.parseLong(last.substring(33));
    assertEquals(404, http.get("/jobs/" + last.substring(0, 32) + "-" + (seq + 1)).status());
  }
}
