package org.clusterpool.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.clusterpool.coordinator.connect.ApiClient;
import org.clusterpool.coordinator.connect.JobResults;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.node.task.Task;

/**
 * {@code gather} with {@code --connect}: the calls, read and checked here, go to the cluster's HTTP
 * API ({@code POST /gather}); each call's outcome comes back on the job's stream as it ends, and
 * the command prints what the embedded gather prints: every call in the order given, or with {@code
 * --as-completed} each as it ends, with the same exit codes and error lines.
 */
final class RemoteGather {
  private RemoteGather() {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static int run(
      List<Call<?>> calls,
      boolean returnExceptions,
      boolean taskGroup,
      boolean asCompleted,
      Duration timeout,
      Integer limit,
      OutputOptions output,
      ApiClient endpoint,
      PrintWriter out)
      throws IOException {
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode labels = body.putArray("calls");
    calls.forEach(call -> labels.add(call.toString()));
    // as_completed hands out failures like return_exceptions does: the API runs both the same way
    body.put("return_exceptions", returnExceptions || asCompleted);
    body.put("task_group", taskGroup);
    if (timeout != null) body.put("timeout", timeout.toNanos() / 1e9);
    if (limit != null) body.put("limit", limit);
    body.put("abandoned_after", RemoteJob.ABANDONED_AFTER);
    byte[] request;
    try {
      request = MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long start = System.nanoTime();
    RemoteJob job = RemoteJob.submit(endpoint, "/gather", request);
    List<Object> values = new ArrayList<>(Collections.nCopies(calls.size(), null));
    List<Throwable> errors = new ArrayList<>(Collections.nCopies(calls.size(), null));
    List<String> workers = new ArrayList<>(Collections.nCopies(calls.size(), ""));
    int[] failed = {0};
    JsonNode end =
        job.follow(
            line -> {
              for (JsonNode entry : line.path("results")) {
                int position = entry.path("position").asInt();
                Call<?> call = calls.get(position);
                workers.set(position, entry.path("worker").asText(""));
                if (entry.has("error")) {
                  errors.set(position, RemoteJob.failure(entry.path("error")));
                  failed[0]++;
                } else {
                  values.set(position, value(call.task(), entry.path("value")));
                }
                if (asCompleted)
                  GatherCommand.printCompleted(
                      out,
                      start,
                      call,
                      values.get(position),
                      errors.get(position),
                      workers.get(position));
              }
            });
    if (!end.path("state").asText().equals("done")) {
      RuntimeException failure = RemoteJob.failure(end.path("error"));
      if (!asCompleted) GatherCommand.printFailure(output.format, failure, out, start);
      throw failure;
    }
    if (asCompleted) return GatherCommand.printCompletedTotal(out, calls.size(), failed[0], start);
    GatherCommand.print(output.format, calls, values, errors, workers, out, start);
    return ExitCodes.OK;
  }

  private static <O> O value(Task<?, O> task, JsonNode json) {
    return JobResults.value(task.outputType(), json);
  }
}
