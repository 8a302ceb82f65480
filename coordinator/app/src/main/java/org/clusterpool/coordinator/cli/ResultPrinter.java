package org.clusterpool.coordinator.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * Prints results as they come. Text: one result a line. JSON: one object, written as a stream so
 * that millions of results never sit in memory: {@code {"task": ..., ..., "results": [...],
 * "elapsed_seconds": ...}}.
 */
abstract class ResultPrinter<O> {

  abstract void print(O value);

  /**
   * The job failed at this input: JSON closes its array and records the error; text prints nothing
   * here.
   */
  abstract void failed(TaskFailedException error);

  abstract void finish(Map<String, Object> trailer);

  static <O> ResultPrinter<O> create(
      OutputOptions.Format format, ValueType<O> type, PrintWriter out, Map<String, Object> header) {
    return format == OutputOptions.Format.json
        ? new Json<>(type, out, header)
        : new Text<>(type, out);
  }

  private static final class Text<O> extends ResultPrinter<O> {
    private final ValueType<O> type;
    private final PrintWriter out;
    private final boolean longs;

    Text(ValueType<O> type, PrintWriter out) {
      this.type = type;
      this.out = out;
      this.longs = type == ValueTypes.LONG;
    }

    @Override
    void print(O value) {
      if (longs) out.print((long) (Long) value);
      // a text result may hold a newline or an escape: one result stays one line, and a task's
      // output never drives the terminal
      else out.print(Echo.escaped(type.format(value)));
      out.print('\n');
    }

    @Override
    void failed(TaskFailedException error) {
      out.flush();
    }

    @Override
    void finish(Map<String, Object> trailer) {
      out.flush();
    }
  }

  private static final class Json<O> extends ResultPrinter<O> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ValueType<O> type;
    private final PrintWriter out;
    private final JsonGenerator json;
    private boolean arrayOpen;

    Json(ValueType<O> type, PrintWriter out, Map<String, Object> header) {
      this.type = type;
      this.out = out;
      try {
        this.json = new JsonFactory(MAPPER).createGenerator(out);
        json.writeStartObject();
        for (Map.Entry<String, Object> field : header.entrySet())
          json.writeObjectField(field.getKey(), field.getValue());
        json.writeArrayFieldStart("results");
        arrayOpen = true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void print(O value) {
      try {
        if (type == ValueTypes.LONG) json.writeNumber((Long) value);
        else json.writeTree(type.toJson(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void failed(TaskFailedException error) {
      try {
        closeArray();
        json.writeObjectFieldStart("error");
        json.writeStringField("task", error.task());
        json.writeStringField("input", error.input());
        json.writeNumberField("position", error.position());
        json.writeStringField("type", error.remoteError().type());
        json.writeStringField("message", error.remoteError().message());
        json.writeStringField("where", error.remoteError().where());
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void finish(Map<String, Object> trailer) {
      try {
        closeArray();
        for (Map.Entry<String, Object> field : trailer.entrySet())
          json.writeObjectField(field.getKey(), field.getValue());
        json.writeEndObject();
        json.flush();
        out.println();
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void closeArray() throws IOException {
      if (arrayOpen) {
        json.writeEndArray();
        arrayOpen = false;
      }
    }
  }
}
