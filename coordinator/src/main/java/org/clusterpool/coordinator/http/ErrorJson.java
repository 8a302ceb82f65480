package org.clusterpool.coordinator.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.wire.RemoteError;

/**
 * What ended a job, or failed one call of a gather, as JSON. Every error has {@code kind} (what happened, as
 * the exception's simple name: {@code TaskFailedException}, {@code CallTimeoutException}, ...) and
 * {@code summary}, the one line the command line prints after {@code clusterpool: }. A task's failure also
 * names the task, the input, its position, the worker's error ({@code type}, {@code message}, {@code stack})
 * and the worker.
 */
final class ErrorJson {
  private ErrorJson() {}

  static ObjectNode of(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
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

  /** An error with this kind and message, for failures that are not exceptions here (a task group's). */
  static ObjectNode of(String kind, String message) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("kind", kind);
    json.put("summary", summary(kind, message));
    json.put("message", message);
    return json;
  }

  /** Errors whose message says it all; the command line names the others' type (see {@code Main.describe}). */
  private static final Set<String> SELF_EXPLAINED = Set.of(
      "TaskFailedException", "CallTimeoutException", "TaskGroupException", "IllegalArgumentException", "InputError");

  private static String summary(Throwable e) {
    return summary(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
  }

  private static String summary(String kind, String message) {
    if (SELF_EXPLAINED.contains(kind)) return message;
    if (kind.equals("CancellationException")) return "cancelled: " + message;
    return kind + ": " + message;
  }
}
