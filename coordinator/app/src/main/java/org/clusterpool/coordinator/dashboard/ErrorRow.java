package org.clusterpool.coordinator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A job's error as the page shows it: {@code type}, {@code message} (the one line the CLI prints)
 * and {@code stack} (the worker's, one frame a line; empty when the error did not come from a
 * worker), cut to {@link #MAX_STACK_CHARS}.
 */
final class ErrorRow {
  static final int MAX_STACK_CHARS = 16_000;

  private ErrorRow() {}

  static JsonNode of(ObjectNode error) {
    if (error == null) return NullNode.getInstance();
    ObjectNode row = Snapshots.MAPPER.createObjectNode();
    row.put("type", error.path("type").asText(error.path("kind").asText("error")));
    row.put("message", error.path("summary").asText(error.path("message").asText("")));
    StringBuilder stack = new StringBuilder();
    if (error.path("type").isTextual())
      stack
          .append(error.path("type").asText())
          .append(": ")
          .append(error.path("message").asText())
          .append('\n');
    for (JsonNode frame : error.path("stack")) {
      if (stack.length() > MAX_STACK_CHARS) {
        stack.append("...\n");
        break;
      }
      // RemoteError's frames may already read "at Class.method(File:line)": the prefix is written
      // once
      String text = frame.asText().strip();
      stack.append("    ").append(text.startsWith("at ") ? "" : "at ").append(text).append('\n');
    }
    row.put("stack", stack.toString());
    return row;
  }
}
