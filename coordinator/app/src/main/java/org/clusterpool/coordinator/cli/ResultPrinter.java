package org.clusterpool.coordinator.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.coordinator.pool.TaskFailedException;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * Prints results as they come. Text: one result a line. JSON: one object, written as a stream so
 * that millions of results never sit in memory: {@code {"task": ..., ..., "results": [...],
 * "elapsed_seconds": ...}}.
 *
 * <p>Output is buffered, so that ten million lines cost the time to compute them, not a write each;
 * and what is printed reaches standard output within {@link #FLUSH_MILLIS} however long the next
 * result takes, so that a slow job's results show as they come, at a terminal or through a pipe.
 * Closing the printer writes out whatever it holds, whichever way the command ends.
 */
abstract class ResultPrinter<O> implements AutoCloseable {
  static final long FLUSH_MILLIS = 100;

  private static final ScheduledExecutorService FLUSHER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "clusterpool-output");
            thread.setDaemon(true);
            return thread;
          });

  private ScheduledFuture<?> flushes;
  private boolean unflushed;
  private volatile boolean outputClosed;
  private long printed;

  /** Writes one result into the printer's buffers. */
  abstract void write(O value);

  /**
   * The job failed at this input: JSON closes its array and records the error; text writes nothing
   * here.
   */
  abstract void writeFailure(TaskFailedException error);

  abstract void writeEnd(Map<String, Object> trailer);

  /** Hands everything buffered to the output and flushes it. */
  abstract void drain();

  static <O> ResultPrinter<O> create(
      OutputOptions.Format format, ValueType<O> type, PrintWriter out, Map<String, Object> header) {
    ResultPrinter<O> printer =
        format == OutputOptions.Format.json ? new Json<>(type, out, header) : new Text<>(type, out);
    printer.flushes =
        FLUSHER.scheduleWithFixedDelay(
            printer::flushIfUnflushed, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    return printer;
  }

  final synchronized void print(O value) {
    write(value);
    unflushed = true;
    printed++;
  }

  /**
   * Stops the command once the output is gone (a pipe whose reader left, as {@code | head -1}): a
   * job of millions of results would run to its end into nothing. Seen at the first timed flush
   * after a result is written there: the system tells a program that its pipe's reader left only
   * when it writes to the pipe (Python learns it at its next print too).
   */
  final void stopIfOutputClosed() {
    if (!outputClosed) return;
    IOException why = writeError();
    String message = why == null ? null : why.getMessage();
    if (message != null && !message.contains("Broken pipe"))
      throw new CommandFailure(
          "standard output could not be written ("
              + message
              + ") after "
              + printed
              + " results: the rest of the job is cancelled");
    throw new CommandFailure(
        "standard output was closed after "
            + printed
            + " results (its reader left): the rest of the job is cancelled");
  }

  /** Whether writing to the output failed: a {@code PrintWriter} keeps it, and says nothing. */
  abstract boolean outputFailed();

  /** Why writing to the output failed, when the output is the command's standard output. */
  abstract IOException writeError();

  final synchronized void failed(TaskFailedException error) {
    writeFailure(error);
    unflushed = true;
  }

  final synchronized void finish(Map<String, Object> trailer) {
    writeEnd(trailer);
    close();
  }

  /** Writes out what is held and stops the timed flushes; again, it does nothing. */
  @Override
  public final synchronized void close() {
    if (flushes == null) return;
    flushes.cancel(false);
    flushes = null;
    drain();
    unflushed = false;
  }

  private synchronized void flushIfUnflushed() {
    if (!unflushed || flushes == null) return;
    unflushed = false;
    try {
      drain();
      if (outputFailed()) outputClosed = true;
    } catch (RuntimeException e) {
      outputClosed = true;
    }
  }

  private static final class Text<O> extends ResultPrinter<O> {
    /** The longest line a long makes: a sign, 19 digits, a newline. */
    private static final int LONG_LINE = 21;

    private final ValueType<O> type;
    private final PrintWriter out;
    private final boolean longs;
    private final char[] buffer = new char[1 << 13];
    private int used;

    Text(ValueType<O> type, PrintWriter out) {
      this.type = type;
      this.out = out;
      this.longs = type == ValueTypes.LONG;
    }

    @Override
    void write(O value) {
      if (longs) {
        if (used + LONG_LINE > buffer.length) spill();
        used = formatLong((Long) value, buffer, used);
        buffer[used++] = '\n';
      } else {
        // a text result may hold a newline or an escape: one result stays one line, and a task's
        // output never drives the terminal
        String line = Echo.escaped(type.format(value));
        if (used + line.length() + 1 > buffer.length) spill();
        if (line.length() + 1 > buffer.length) {
          out.write(line);
          out.write('\n');
        } else {
          line.getChars(0, line.length(), buffer, used);
          used += line.length();
          buffer[used++] = '\n';
        }
      }
    }

    @Override
    boolean outputFailed() {
      return out.checkError();
    }

    @Override
    IOException writeError() {
      return out instanceof Terminal.Stdout stdout ? stdout.failure() : null;
    }

    @Override
    void writeFailure(TaskFailedException error) {}

    @Override
    void writeEnd(Map<String, Object> trailer) {}

    @Override
    void drain() {
      spill();
      out.flush();
    }

    private void spill() {
      out.write(buffer, 0, used);
      used = 0;
    }
  }

  /**
   * Writes {@code value} in decimal at {@code at}, as {@link Long#toString(long)} does, and returns
   * where it ends; {@code into} has room for 20 characters there.
   */
  static int formatLong(long value, char[] into, int at) {
    if (value == Long.MIN_VALUE) {
      String min = Long.toString(value);
      min.getChars(0, min.length(), into, at);
      return at + min.length();
    }
    if (value < 0) {
      into[at++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long power = 10; digits < 19 && value >= power; power *= 10) digits++;
    int end = at + digits;
    for (int i = end - 1; i >= at; i--) {
      into[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return end;
  }

  private static final class Json<O> extends ResultPrinter<O> {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ValueType<O> type;
    private final PrintWriter out;
    private final JsonGenerator json;
    private boolean arrayOpen;
    private boolean ended;

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
    void write(O value) {
      try {
        if (type == ValueTypes.LONG) json.writeNumber((Long) value);
        else json.writeTree(type.toJson(value));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    boolean outputFailed() {
      return out.checkError();
    }

    @Override
    IOException writeError() {
      return out instanceof Terminal.Stdout stdout ? stdout.failure() : null;
    }

    @Override
    void writeFailure(TaskFailedException error) {
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
    void writeEnd(Map<String, Object> trailer) {
      try {
        closeArray();
        for (Map.Entry<String, Object> field : trailer.entrySet())
          json.writeObjectField(field.getKey(), field.getValue());
        json.writeEndObject();
        ended = true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    void drain() {
      try {
        json.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (ended) {
        out.println();
        ended = false;
      }
      out.flush();
    }

    private void closeArray() throws IOException {
      if (arrayOpen) {
        json.writeEndArray();
        arrayOpen = false;
      }
    }
  }
}
