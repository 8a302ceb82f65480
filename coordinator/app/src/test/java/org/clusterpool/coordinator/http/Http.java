package org.clusterpool.coordinator.http;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.clusterpool.coordinator.connect.ApiToken;

/**
 * A test's HTTP client: every call bounded in time, every answer with its status and its JSON; it
 * sends the API's token when given one, and its bodies as {@code application/json}, as a real
 * client does.
 */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Null when no token is sent. */
  private final String token;

  Http(URI base) {
    this(base, null);
  }

  Http(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A client of {@code api}, with its token. */
  static Http of(HttpApi api) {
    return new Http(URI.create(api.url()), api.access().token().map(ApiToken::value).orElse(null));
  }

  record Response(int status, JsonNode json, HttpResponse<String> raw) {
    String error() {
      return json.path("error").asText();
    }
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Response delete(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  Response post(String path, String body) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Response send(String method, String path) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  /**
   * The request as it is built, with the token (when this client has one) and nothing else added.
   */
  Response send(HttpRequest.Builder request) {
    if (token != null) request.setHeader("Authorization", "Bearer " + token);
    try {
      HttpResponse<String> response =
          client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
      return new Response(response.statusCode(), json, response);
    } catch (IOException e) {
      throw new AssertionError("HTTP call failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * The request as it is built, with the token when this client has one; the answer's body as it is
   * (not JSON).
   */
  Response sendRaw(HttpRequest.Builder request) {
    if (token != null) request.setHeader("Authorization", "Bearer " + token);
    try {
      HttpResponse<String> response =
          client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), JSON.nullNode(), response);
    } catch (IOException e) {
      throw new AssertionError("HTTP call failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Every line of a stream, read to its end (bounded by the stream's own end, and by the request's
   * timeout).
   */
  List<JsonNode> streamLines(String path) {
    return streamThenLeave(path, Integer.MAX_VALUE);
  }

  /** The first {@code count} lines of a stream; then it goes away, as a killed client does. */
  List<JsonNode> streamThenLeave(String path, int count) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET();
      if (token != null) request.header("Authorization", "Bearer " + token);
      HttpResponse<Stream<String>> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() != 200) fail("stream answered " + response.statusCode());
      List<JsonNode> lines = new ArrayList<>();
      try (Stream<String> body = response.body()) {
        java.util.Iterator<String> it = body.iterator();
        while (lines.size() < count && it.hasNext()) lines.add(JSON.readTree(it.next()));
      }
      return lines;
    } catch (IOException e) {
      throw new AssertionError("stream failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Polls {@code path} until its answer passes {@code done}; fails after {@code timeout}. */
  JsonNode await(String path, Predicate<JsonNode> done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Response response = get(path);
      last = response.json();
      if (response.status() == 200 && done.test(last)) return last;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError(
        "GET "
            + path
            + " did not get there within "
            + timeout.toSeconds()
            + " s; last answer: "
            + last);
  }

  /** Waits for the job to end and returns it with all its results. */
  JsonNode awaitEnd(String job) {
    return await(
        "/jobs/" + job,
        json -> !json.path("state").asText().equals("running"),
        Duration.ofSeconds(30));
  }
}
