package org.clusterpool.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.wire.RemoteError;

/**
 * A job on a running cluster, for {@code --connect}: submitted to the coordinator's HTTP API, then followed
 * on its stream to its final line. Never a wait without end: the stream has a heartbeat, and a silent or
 * broken one is checked once with a plain request (it resumes where it stopped if the API still answers),
 * then reported in one line. Ctrl-C cancels the job on the cluster.
 */
final class RemoteJob {
  /** Several heartbeats (the server writes a line every couple of seconds while a job runs). */
  private static final Duration IDLE_LIMIT = Duration.ofSeconds(15);
  private static final int MAX_RESUMES = 3;

  private final ApiClient api;
  private final JsonNode created;
  private final String id;
  private volatile boolean ended;
  private long received;

  private RemoteJob(ApiClient api, JsonNode created) {
    this.api = api;
    this.created = created;
    this.id = created.path("job").asText();
  }

  /** Submits; the API's refusal of bad input is a usage error with the API's message, the command line's own. */
  static RemoteJob submit(ApiClient api, String path, byte[] body) {
    try {
      return new RemoteJob(api, api.post(path, body));
    } catch (ApiClient.Failure e) {
      if (e.status() == 400 || e.status() == 409 || e.status() == 413) throw new UsageError(e.getMessage());
      throw new CommandFailure("the cluster at " + api.base() + " refused the job: " + e.getMessage());
    } catch (ApiClient.Unreachable e) {
      throw new CommandFailure("cannot reach the cluster's HTTP API: " + e.getMessage()
          + "; is it running? ('clusterpool cluster status')");
    }
  }

  String id() {
    return id;
  }

  /** Cpu workers of the cluster when the job started. */
  int workers() {
    return created.path("workers").asInt();
  }

  /** Hands every line of the stream to {@code onLine} and returns the final one (the job's end). */
  JsonNode follow(Consumer<JsonNode> onLine) {
    Thread cancelOnExit = new Thread(this::cancelIfRunning, "clusterpool-cancel-remote-job");
    Runtime.getRuntime().addShutdownHook(cancelOnExit);
    try {
      JsonNode[] last = {null};
      for (int attempt = 0; ; attempt++) {
        String problem;
        try {
          api.stream("/jobs/" + id + "/stream?from=" + received, IDLE_LIMIT, line -> {
            received += line.path("results").size();
            onLine.accept(line);
            if (!line.path("state").asText().equals("running")) last[0] = line;
          });
          if (last[0] != null) return last[0];
          problem = "it ended the stream before the job's final line";
        } catch (ApiClient.Unreachable e) {
          problem = e.getMessage();
        } catch (ApiClient.Failure e) {
          throw new CommandFailure("the cluster at " + api.base() + " lost job " + id + ": " + e.getMessage());
        }
        if (attempt >= MAX_RESUMES || !stillAnswers()) {
          throw new CommandFailure("lost the coordinator at " + api.base() + " during job " + id + ", after " + received
              + " results: " + problem + "; its JVM stopped or its node left the cluster (see 'clusterpool cluster status')");
        }
      }
    } finally {
      ended = true;
      try {
        Runtime.getRuntime().removeShutdownHook(cancelOnExit);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook runs
      }
    }
  }

  /** After a broken stream: whether the API still knows the job (then the stream resumes where it stopped). */
  private boolean stillAnswers() {
    try {
      api.get("/jobs/" + id + "?limit=1");
      return true;
    } catch (ApiClient.Unreachable | ApiClient.Failure e) {
      return false;
    }
  }

  /** Ctrl-C: the job stops on the cluster too, as a KeyboardInterrupt stops a Pool's work. */
  private void cancelIfRunning() {
    if (ended) return;
    try {
      api.delete("/jobs/" + id);
    } catch (RuntimeException e) {
      // the JVM is exiting: the job ends by itself, or the coordinator is gone anyway
    }
  }

  /**
   * The exception the same failure raises in this JVM, from the API's error: a task's failure whole (with the
   * worker's stack), a cancellation, or the other kinds with their message and the line to print.
   */
  static RuntimeException failure(JsonNode error) {
    String kind = error.path("kind").asText();
    String message = error.path("message").asText();
    if (kind.equals("TaskFailedException")) {
      List<String> stack = new ArrayList<>();
      error.path("stack").forEach(frame -> stack.add(frame.asText()));
      RemoteError remote = new RemoteError(error.path("type").asText(), message, error.path("worker").asText(), stack);
      return new TaskFailedException(error.path("task").asText(), error.path("position").asLong(), error.path("input").asText(), remote);
    }
    if (kind.equals("CancellationException")) return new CancellationException(message);
    return new RemoteJobException(kind, message, error.path("summary").asText(message));
  }
}
