package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.handle.Futures;
import org.clusterpool.node.wire.RemoteError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ended a job, or failed one call of a gather, as JSON. Every error has {@code kind} (what
 * happened, as the exception's simple name: {@code TaskFailedException}, {@code
 * CallTimeoutException}, ...) and {@code summary}, the one line the command line prints after
 * {@code clusterpool: }. A task's failure also names the task, the input, its position, the
 * worker's error ({@code type}, {@code message}, {@code stack}) and the worker.
 */
final class ErrorJson {
  private ErrorJson() {}

  private static final Logger LOG = LoggerFactory.getLogger(ErrorJson.class);

  static ObjectNode of(Throwable error) {
    Throwable e = Futures.cause(error);
    if (e instanceof Error) return ofError(e);
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("kind", e.getClass().getSimpleName());
    json.put("summary", summary(e));
    if (e instanceof TaskFailedException failed) {
      RemoteError remote = failed.remoteError();
      json.put("task", failed.task());
      json.put("input", failed.input());
      json.put("position", failed.position());
      json.put("type", remote.type());
      json.put("message", remote.message());
      json.put("worker", remote.where());
      ArrayNode stack = json.putArray("stack");
      remote.stack().forEach(stack::add);
    } else {
      json.put("message", String.valueOf(e.getMessage()));
    }
    return json;
  }

  /**
   * An {@link Error} on the job's thread (out of memory, a stack overflow): a bug or an overload of
   * this node, not the task's. It is logged with its stack; the job says it in one line.
   */
  private static ObjectNode ofError(Throwable e) {
    LOG.error("an API job's thread failed with {}", e.getClass().getSimpleName(), e);
    String message =
        e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + " on the coordinator node's thread that ran the job; the job was stopped (the node's"
            + " log has the stack)";
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("kind", e.getClass().getSimpleName());
    json.put("summary", Echo.line(message));
    json.put("message", message);
    return json;
  }

  /** As little as says what ended the job, for when even that is hard to build (out of memory). */
  static ObjectNode minimal(Throwable e) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("kind", e.getClass().getSimpleName());
    json.put("summary", e.getClass().getSimpleName());
    return json;
  }

  /**
   * An error with this kind and message, for failures that are not exceptions here (a task
   * group's).
   */
  static ObjectNode of(String kind, String message) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("kind", kind);
    json.put("summary", summary(kind, message));
    json.put("message", message);
    return json;
  }

  /**
   * Errors whose message says it all; the command line names the others' type (see {@code
   * Main.describe}).
   */
  private static final Set<String> SELF_EXPLAINED =
      Set.of(
          "TaskFailedException",
          "CallTimeoutException",
          "TaskGroupException",
          "IllegalArgumentException",
          "InputError",
          "ResultsTooLargeException",
          "TaskUnavailableException");

  private static String summary(Throwable e) {
    return summary(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
  }

  /**
   * The one line: escaped and bounded, whatever the message holds (a worker's error may hold
   * anything).
   */
  private static String summary(String kind, String message) {
    if (SELF_EXPLAINED.contains(kind)) return Echo.line(message);
    if (kind.equals("CancellationException")) return Echo.line("cancelled: " + message);
    return Echo.line(kind + ": " + message);
  }
}
