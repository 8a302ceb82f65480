package org.clusterpool.coordinator.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.coordinator.pool.ClusterPool;
import org.clusterpool.coordinator.pool.Completed;
import org.clusterpool.coordinator.pool.Gather;
import org.clusterpool.coordinator.pool.Gathered;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "gather",
    description = {
      "asyncio.gather: run the CALLS concurrently on the workers; print each result in the order"
          + " given, then the total time.",
      "CALLS are TASK:INPUT (sleep:2, fib:25, pow:2,10, any catalog task, mixed), @FILE or - (one"
          + " call a line)."
    })
final class GatherCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "CALLS", description = "The calls, like sleep:2 fib:25.")
  List<String> calls;

  @Option(
      names = "--return-exceptions",
      description = "A failed call's error is printed in its place (return_exceptions=True).")
  boolean returnExceptions;

  @Option(
      names = "--task-group",
      description = "The first failure cancels the other calls (asyncio.TaskGroup).")
  boolean taskGroup;

  @Option(
      names = "--as-completed",
      description = "Print each call as it finishes (asyncio.as_completed).")
  boolean asCompleted;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Cancel what is still running after this long and fail (asyncio.wait_for): 1s, 500ms,"
              + " 2m.")
  Duration timeout;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N calls at once (an asyncio.Semaphore(N)).")
  Integer limit;

  @Mixin PoolOptions pool = new PoolOptions();
  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() throws Exception {
    if (limit != null && limit < 1)
      throw new UsageError("--limit must be at least 1, got " + limit);
    if (taskGroup && returnExceptions) {
      throw new UsageError(
          "--task-group and --return-exceptions do not go together: a task group fails on the first"
              + " error");
    }
    if (asCompleted && (taskGroup || returnExceptions)) {
      throw new UsageError(
          "--as-completed prints every call as it ends, failures included: leave out --task-group"
              + " and --return-exceptions");
    }
    if (asCompleted && output.format == OutputOptions.Format.json) {
      throw new UsageError(
          "--as-completed prints each call as a line as it ends: leave out --output json, which"
              + " prints one object once every call has ended");
    }
    TaskCatalog catalog = pool.catalog();
    if (pool.remote()) {
      List<Call<?>> parsed = Main.callParser(catalog).parse(calls);
      ClusterTasks.check(
          pool.endpoint(), catalog, parsed.stream().<Task<?, ?>>map(Call::task).toList());
      return RemoteGather.run(
          parsed,
          returnExceptions,
          taskGroup,
          asCompleted,
          timeout,
          limit,
          output,
          pool.endpoint(),
          spec.commandLine().getOut());
    }
    List<Call<?>> parsed = pool.readWhileStarting(() -> Main.callParser(catalog).parse(calls));
    PrintWriter out = spec.commandLine().getOut();
    try (PoolSession session = pool.open()) {
      ClusterPool p = session.pool();
      long start = System.nanoTime(); // the gather's time, not the pool's start-up
      Gather gather = Gather.on(p);
      if (limit != null) gather = gather.limit(limit);
      if (timeout != null) gather = gather.timeout(timeout);
      if (!output.quiet) gather = gather.onRetry(retryNotes(spec.commandLine().getErr()));
      if (asCompleted) return printAsCompleted(gather, parsed, out, start);
      Gathered done;
      try {
        done =
            ClusterPool.await(
                taskGroup
                    ? gather.taskGroup(parsed)
                    : returnExceptions
                        ? gather.gatherReturningExceptions(parsed)
                        : gather.gather(parsed));
      } catch (RuntimeException e) {
        printFailure(output.format, e, out, start);
        throw e;
      }
      print(done, out, start);
    }
    return ExitCodes.OK;
  }

  /** A note on standard error for each call that runs again, as map's for a chunk. */
  private static Gather.Retries retryNotes(PrintWriter err) {
    return (position, call, reason) -> {
      if (Interruption.ending()) return; // nothing runs again: the command is ending
      err.println(
          "note: call "
              + (position + 1)
              + " ("
              + Echo.cut(call.toString())
              + ") runs again: "
              + Echo.line(reason));
      err.flush();
    };
  }

  private int printAsCompleted(Gather gather, List<Call<?>> parsed, PrintWriter out, long start) {
    int failed = 0;
    try (Gather.AsCompleted completed = gather.asCompleted(parsed)) {
      while (completed.hasNext()) {
        Completed<?> next = completed.next();
        if (next.failed()) failed++;
        printCompleted(out, start, next.call(), next.value(), next.error(), next.worker());
      }
    }
    return printCompletedTotal(out, parsed.size(), failed, start);
  }

  /**
   * One line of {@code --as-completed}: the time since the start, then the call and its outcome.
   */
  static void printCompleted(
      PrintWriter out, long start, Call<?> call, Object value, Throwable error, String worker) {
    out.printf(Locale.ROOT, "%6.3f s  %s%n", seconds(start), line(call, value, error, worker));
    out.flush();
  }

  static int printCompletedTotal(PrintWriter out, int calls, int failed, long start) {
    out.printf(
        Locale.ROOT,
        "%d calls in %.3f s%s%n",
        calls,
        seconds(start),
        failed > 0 ? ", " + failed + " failed" : "");
    out.flush();
    return failed > 0 ? ExitCodes.FAILED : ExitCodes.OK;
  }

  private void print(Gathered done, PrintWriter out, long start) throws IOException {
    List<Throwable> errors = new ArrayList<>();
    List<String> workers = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    List<Object> valuesOrErrors = done.values();
    for (int i = 0; i < done.size(); i++) {
      errors.add(done.error(i));
      workers.add(done.worker(i));
      values.add(done.error(i) == null ? valuesOrErrors.get(i) : null);
    }
    print(output.format, done.calls(), values, errors, workers, out, start);
  }

  /** The gathered calls in the order given: one line each then the time, or one JSON object. */
  static void print(
      OutputOptions.Format format,
      List<Call<?>> calls,
      List<Object> values,
      List<Throwable> errors,
      List<String> workers,
      PrintWriter out,
      long start)
      throws IOException {
    if (format == OutputOptions.Format.json) {
      printJson(calls, values, errors, workers, out, start);
      return;
    }
    for (int i = 0; i < calls.size(); i++)
      out.println(line(calls.get(i), values.get(i), errors.get(i), workers.get(i)));
    out.printf(Locale.ROOT, "%d calls in %.3f s%n", calls.size(), seconds(start));
    out.flush();
  }

  /**
   * One call's line. The call echoes what was given and the error and value may hold anything a
   * task wrote: each is escaped so that a call is always one line that cannot drive the terminal;
   * the value is never cut, a result stays whole.
   */
  static String line(Call<?> call, Object value, Throwable error, String worker) {
    String where = worker == null || worker.isEmpty() ? "" : "  (" + Echo.cut(worker) + ")";
    String label = Echo.cut(call.toString());
    if (error != null) return label + " -> error: " + Echo.line(error.getMessage());
    return label + " -> " + Echo.escaped(format(call.task(), value)) + where;
  }

  @SuppressWarnings("unchecked")
  private static <O> String format(Task<?, O> task, Object value) {
    return task.outputType().format((O) value);
  }

  @SuppressWarnings("unchecked")
  private static void printJson(
      List<Call<?>> calls,
      List<Object> values,
      List<Throwable> errors,
      List<String> workers,
      PrintWriter out,
      long start)
      throws IOException {
    JsonGenerator json = new JsonFactory(new ObjectMapper()).createGenerator(out);
    json.writeStartObject();
    json.writeArrayFieldStart("results");
    for (int i = 0; i < calls.size(); i++) {
      Call<Object> call = (Call<Object>) calls.get(i);
      json.writeStartObject();
      json.writeStringField("call", call.toString());
      if (errors.get(i) != null) json.writeStringField("error", errors.get(i).getMessage());
      else
        json.writeObjectField(
            "value", ((Task<?, Object>) call.task()).outputType().toJson(values.get(i)));
      json.writeStringField("worker", workers.get(i));
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeNumberField("elapsed_seconds", Math.round(seconds(start) * 1000) / 1000.0);
    json.writeEndObject();
    json.flush();
    out.println();
    out.flush();
  }

  /**
   * A gather that failed as a whole: with {@code --output json}, the object map prints for a failed
   * job ({@code "results"}, {@code "error"}, {@code "elapsed_seconds"}), so that a script reading
   * standard output gets JSON either way; the error's line goes to standard error as for text.
   */
  static void printFailure(
      OutputOptions.Format format, Throwable error, PrintWriter out, long start) {
    if (format != OutputOptions.Format.json) return;
    try {
      JsonGenerator json = new JsonFactory(new ObjectMapper()).createGenerator(out);
      json.writeStartObject();
      json.writeArrayFieldStart("results");
      json.writeEndArray();
      json.writeObjectFieldStart("error");
      if (error instanceof TaskFailedException failed) {
        json.writeStringField("task", failed.task());
        json.writeStringField("input", failed.input());
        json.writeNumberField("position", failed.position());
        json.writeStringField("type", failed.remoteError().type());
        json.writeStringField("message", failed.remoteError().message());
        json.writeStringField("where", failed.remoteError().where());
      } else {
        json.writeStringField("type", error.getClass().getSimpleName());
        json.writeStringField("message", String.valueOf(error.getMessage()));
      }
      json.writeEndObject();
      json.writeNumberField("elapsed_seconds", Math.round(seconds(start) * 1000) / 1000.0);
      json.writeEndObject();
      json.flush();
      out.println();
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
