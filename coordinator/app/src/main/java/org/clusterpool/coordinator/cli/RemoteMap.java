package org.clusterpool.coordinator.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.JobResults;
import org.clusterpool.coordinator.input.InputParser;
import org.clusterpool.coordinator.pool.JobListener;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueType;

/**
 * {@code map}, {@code starmap} and {@code apply} with {@code --connect}: the inputs, read and
 * checked here as always, go to the cluster's HTTP API ({@code POST /map}); the results come back
 * on the job's stream and are printed exactly as the embedded pool prints them, with the same exit
 * codes and error lines.
 */
final class RemoteMap {
  private RemoteMap() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * {@code tokens} are the command line's INPUTS: one range goes as a range, anything else as
   * values.
   */
  static <I, O> int map(
      Task<I, O> task,
      String fingerprint,
      List<String> tokens,
      List<I> parsed,
      Integer chunksize,
      boolean ordered,
      OutputOptions output,
      ApiClient endpoint,
      PrintWriter out,
      PrintWriter err) {
    long start = System.nanoTime();
    RemoteJob job =
        RemoteJob.submit(
            endpoint, "/map", body(task, fingerprint, tokens, parsed, chunksize, ordered));
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("task", task.name());
    header.put("inputs", parsed.size());
    header.put("chunksize", chunksize == null ? "auto" : chunksize);
    header.put("ordered", ordered);
    header.put("workers", job.workers());
    JobListener progress = ProgressBar.forTerminal(output.quiet);
    ValueType<O> type = task.outputType();
    try (ResultPrinter<O> printer =
        ResultPrinter.create(output.format, task.outputType(), out, header)) {
      JsonNode end =
          job.follow(
              line -> {
                for (JsonNode result : line.path("results"))
                  printer.print(JobResults.value(type, result));
                printer.stopIfOutputClosed();
                progress.progress(
                    job.id(), line.path("done").asLong(), line.path("total").asLong());
                for (JsonNode note : line.path("retries")) {
                  if (output.quiet || Interruption.ending()) continue;
                  ProgressBar.clear(progress);
                  err.println("note: " + note.asText());
                  err.flush();
                }
              });
      ProgressBar.clear(progress);
      return finish(end, printer, MapCommand.trailer(start));
    }
  }

  /** {@code apply}: one input, one chunk, one result. */
  static <I, O> int apply(
      Task<I, O> task,
      String fingerprint,
      String token,
      I input,
      OutputOptions output,
      ApiClient endpoint,
      PrintWriter out) {
    long start = System.nanoTime();
    RemoteJob job =
        RemoteJob.submit(
            endpoint, "/map", body(task, fingerprint, List.of(), List.of(input), 1, true));
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("task", task.name());
    header.put("input", token);
    ValueType<O> type = task.outputType();
    try (ResultPrinter<O> printer =
        ResultPrinter.create(output.format, task.outputType(), out, header)) {
      JsonNode end =
          job.follow(
              line -> {
                for (JsonNode result : line.path("results"))
                  printer.print(JobResults.value(type, result));
              });
      return finish(end, printer, MapCommand.trailer(start));
    }
  }

  /**
   * As the embedded path ends: a task's failure closes the output (JSON records it), then fails the
   * command.
   */
  private static int finish(JsonNode end, ResultPrinter<?> printer, Map<String, Object> trailer) {
    if (end.path("state").asText().equals("done")) {
      printer.finish(trailer);
      return ExitCodes.OK;
    }
    RuntimeException failure = RemoteJob.failure(end.path("error"));
    if (failure instanceof TaskFailedException failed) {
      printer.failed(failed);
      printer.finish(trailer);
    }
    throw failure;
  }

  /**
   * The request, written straight to bytes: a job of millions of values needs no tree of JSON nodes
   * first.
   */
  private static <I> byte[] body(
      Task<I, ?> task,
      String fingerprint,
      List<String> tokens,
      List<I> parsed,
      Integer chunksize,
      boolean ordered) {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream((int) Math.min(1 << 20, 64 + parsed.size() * 8L));
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("task", task.name());
      json.writeStringField(
          "fingerprint", fingerprint); // the API refuses another version of it (409)
      if (InputParser.isSingleRange(task, tokens)) {
        json.writeStringField(
            "inputs", tokens.get(0).strip()); // sent as a range, as the embedded pool sends it
      } else {
        json.writeArrayFieldStart("inputs");
        ValueType<I> type = task.inputType();
        for (I input : parsed) json.writeTree(type.toJson(input));
        json.writeEndArray();
      }
      if (chunksize != null) json.writeNumberField("chunksize", chunksize);
      json.writeBooleanField("ordered", ordered);
      json.writeStringField("abandoned_after", RemoteJob.ABANDONED_AFTER);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
