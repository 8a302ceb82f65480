package org.clusterpool.coordinator.connect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.wire.RemoteError;

/**
 * The inverse of {@link ErrorJson}, for the clients of the HTTP API: the exception a job's error
 * raises in the client's JVM, as the same failure would raise it in the coordinator's. A task's
 * failure comes back whole (its input, its position, the worker's stack) and a cancellation as one;
 * the other kinds each client maps itself.
 */
public final class JobErrors {
  private JobErrors() {}

  /**
   * {@code otherKinds}: the exception of a kind that is neither a task's failure nor a
   * cancellation.
   */
  public static RuntimeException read(
      JsonNode error, Function<JsonNode, RuntimeException> otherKinds) {
    String kind = error.path("kind").asText();
    String message = error.path("message").asText();
    if (kind.equals("TaskFailedException")) {
      List<String> stack = new ArrayList<>();
      error.path("stack").forEach(frame -> stack.add(frame.asText()));
      RemoteError remote =
          new RemoteError(
              error.path("type").asText(), message, error.path("worker").asText(), stack);
      return new TaskFailedException(
          error.path("task").asText(),
          error.path("position").asLong(),
          error.path("input").asText(),
          remote);
    }
    if (kind.equals("CancellationException")) return new CancellationException(message);
    return otherKinds.apply(error);
  }
}
