package org.clusterpool.coordinator.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clusterpool.node.catalog.TaskNotAllowedException;
import org.clusterpool.node.task.CpuTask;
import org.clusterpool.node.task.TaskContext;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connected pool gives what an embedded one gives: a task's null result (JSON's null on the job's
 * stream) is null, and a task the cluster does not allow is a {@link TaskNotAllowedException}. The
 * cluster here is a stand-in that answers as the HTTP API does.
 */
@Timeout(60)
class ConnectedNullsTest {
  /** "odd N" for an odd input, null for an even one. */
  public static final class Nuller implements CpuTask<Long, String> {
    @Override
    public String name() {
      return "nuller";
    }

    @Override
    public String description() {
      return "null for even inputs";
    }

    @Override
    public ValueType<Long> inputType() {
      return ValueTypes.LONG;
    }

    @Override
    public ValueType<String> outputType() {
      return ValueTypes.TEXT;
    }

    @Override
    public String apply(Long input, TaskContext context) {
      return input % 2 == 1 ? "odd " + input : null;
    }
  }

  private HttpServer server;
  private volatile boolean forbidden;

  @BeforeEach
  void start() throws IOException {
    String fingerprint = ActorPool.remoteSignature(new Nuller()).fingerprint();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          exchange.getRequestBody().readAllBytes();
          if (path.equals("/")) {
            answer(
                exchange,
                200,
                "{\"service\": \"clusterpool coordinator HTTP API\", \"routes\": [{\"route\":"
                    + " \"POST /map\"}, {\"route\": \"GET /jobs/{id}/stream\"}, {\"route\":"
                    + " \"DELETE /jobs/{id}\"}, {\"route\": \"GET /tasks\"}]}");
          } else if (path.equals("/cluster")) {
            answer(exchange, 200, "{\"workers\": []}");
          } else if (path.equals("/tasks")) {
            answer(
                exchange,
                200,
                "{\"tasks\": [{\"name\": \"nuller\", \"fingerprint\": \"" + fingerprint + "\"}]}");
          } else if (path.equals("/map") && forbidden) {
            answer(
                exchange,
                403,
                "{\"error\": \"task 'nuller' is not allowed on this cluster (allowed: *,"
                    + " !nuller)\"}");
          } else if (path.equals("/map")) {
            answer(exchange, 200, "{\"job\": \"j1\", \"workers\": 1}");
          } else if (path.equals("/jobs/j1/stream")) {
            answer(
                exchange,
                200,
                "{\"state\": \"running\", \"results\": [\"odd 1\", null, \"odd 3\", null],"
                    + " \"done\": 4, \"total\": 4}\n"
                    + "{\"state\": \"done\", \"results\": [], \"done\": 4, \"total\": 4}\n");
          } else {
            answer(exchange, 404, "{\"error\": \"no such route\"}");
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void aNullResultIsNullAsInAnEmbeddedPool() {
    List<String> expected = Arrays.asList("odd 1", null, "odd 3", null);
    try (ClusterPool pool = ClusterPool.connect(url())) {
      assertEquals(expected, pool.map(new Nuller(), List.of(1L, 2L, 3L, 4L)));
      List<String> iterated = new ArrayList<>();
      pool.imap(new Nuller(), List.of(1L, 2L, 3L, 4L)).forEachRemaining(iterated::add);
      assertEquals(expected, iterated);
    }
  }

  @Test
  void aTaskTheClusterDoesNotAllowIsRefusedAsInAnEmbeddedPool() {
    forbidden = true;
    try (ClusterPool pool = ClusterPool.connect(url())) {
      TaskNotAllowedException e =
          assertThrows(
              TaskNotAllowedException.class, () -> pool.map(new Nuller(), List.of(1L, 2L)));
      assertTrue(e.getMessage().startsWith("task 'nuller' is not allowed"), e.getMessage());
    }
  }
}
