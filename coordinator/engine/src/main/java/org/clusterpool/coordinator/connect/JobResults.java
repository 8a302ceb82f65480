package org.clusterpool.coordinator.connect;

import com.fasterxml.jackson.databind.JsonNode;
import org.clusterpool.node.task.ValueType;

/**
 * A result on a job's stream, for the clients of the HTTP API: the value the same result is in the
 * coordinator's JVM. A task's null (text, a record: the types that let a result be null) is JSON's
 * null, and is null again here, as an embedded pool gives it.
 */
public final class JobResults {
  private JobResults() {}

  public static <O> O value(ValueType<O> type, JsonNode json) {
    return json == null || json.isNull() ? null : type.fromJson(json);
  }
}
