package org.clusterpool.coordinator.pool;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.clusterpool.node.catalog.Fingerprints;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueType;

/**
 * The body of a connected pool's {@code POST /map}: the task, its fingerprint (the API refuses
 * another version of it), the inputs as JSON by the task's input type, the chunk size and the
 * order. Written straight to bytes, so that a job of many inputs never stands as a JSON tree as
 * well.
 */
final class MapRequest {
  private MapRequest() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The body of a job whose inputs are already JSON (a page of an imap). */
  static byte[] body(Task<?, ?> task, List<JsonNode> inputs, int chunksize, boolean ordered) {
    return body(
        task,
        chunksize,
        ordered,
        json -> {
          for (JsonNode input : inputs) json.writeTree(input);
        });
  }

  /**
   * {@code {"task", "fingerprint", "inputs": [...], "chunksize", "ordered"}}, written straight to
   * bytes.
   */
  static <I> byte[] body(
      Task<I, ?> task, Iterable<? extends I> inputs, int chunksize, boolean ordered) {
    ValueType<I> type = task.inputType();
    return body(
        task,
        chunksize,
        ordered,
        json -> {
          long position = 0;
          for (I input : inputs) {
            if (input == null)
              throw new NullPointerException("input at position " + position + " is null");
            json.writeTree(type.toJson(input));
            position++;
          }
        });
  }

  private interface InputsWriter {
    void write(JsonGenerator json) throws IOException;
  }

  private static byte[] body(Task<?, ?> task, int chunksize, boolean ordered, InputsWriter inputs) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("task", task.name());
      json.writeStringField("fingerprint", Fingerprints.of(task));
      json.writeArrayFieldStart("inputs");
      inputs.write(json);
      json.writeEndArray();
      if (chunksize > 0) json.writeNumberField("chunksize", chunksize);
      json.writeBooleanField("ordered", ordered);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
