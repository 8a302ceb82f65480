package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The result printer writes what {@code Long.toString} and the value types write, buffered, and
 * hands each result to the output soon after it comes, however long the next one takes.
 */
@Timeout(60)
class ResultPrinterTest {

  @Test
  void longsArePrintedAsLongToStringPrintsThem() {
    List<Long> values = new ArrayList<>(List.of(0L, 1L, -1L, 9L, 10L, -10L, 99L, 100L));
    values.addAll(List.of(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1));
    for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
      values.addAll(List.of(power * 10 - 1, power * 10, -(power * 10 - 1), -(power * 10)));
    }
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) values.add(random.nextLong() >> random.nextInt(64));

    StringWriter out = new StringWriter();
    StringBuilder expected = new StringBuilder();
    ResultPrinter<Long> printer =
        ResultPrinter.create(
            OutputOptions.Format.text, ValueTypes.LONG, new PrintWriter(out), Map.of());
    for (long value : values) {
      printer.print(value);
      expected.append(value).append('\n');
    }
    printer.finish(Map.of());
    assertEquals(expected.toString(), out.toString());
  }

  @Test
  void textsLongerThanTheBufferKeepTheirOrder() {
    StringWriter out = new StringWriter();
    ResultPrinter<String> printer =
        ResultPrinter.create(
            OutputOptions.Format.text, ValueTypes.TEXT, new PrintWriter(out), Map.of());
    String big = "x".repeat(20_000);
    printer.print("a");
    printer.print(big);
    printer.print("b");
    printer.close();
    printer.close(); // again: nothing more
    assertEquals("a\n" + big + "\nb\n", out.toString());
  }

  /**
   * As standard output is: a large buffer that is written only when it is full or flushed. A slow
   * job's first result reaches it while the job still runs.
   */
  @Test
  void aSlowJobsResultsReachTheOutputAsTheyCome() {
    List<String> flushed = new ArrayList<>();
    StringBuilder received = new StringBuilder();
    Writer recorder =
        new Writer() {
          @Override
          public synchronized void write(char[] chars, int offset, int length) {
            received.append(chars, offset, length);
          }

          @Override
          public synchronized void flush() {
            flushed.add(received.toString());
          }

          @Override
          public void close() {}
        };
    PrintWriter out = new PrintWriter(new BufferedWriter(recorder, 1 << 16), false);
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "map", "sleep-blocking", "1.5,1.6,1.7", "--workers", "1", "--chunksize", "1"
            },
            out,
            new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    assertEquals("1.5\n1.6\n1.7\n", received.toString());
    List<String> snapshots;
    synchronized (recorder) {
      snapshots = List.copyOf(flushed);
    }
    assertTrue(
        snapshots.contains("1.5\n") && snapshots.contains("1.5\n1.6\n"),
        "each result reached the output before the next one came: " + snapshots);
  }

  /**
   * A reader that leaves ({@code | head -1}) ends the command: the job was run to its end into a
   * closed pipe, which a PrintWriter reports to nobody.
   */
  @Test
  void aClosedOutputStopsTheJob() {
    Writer closedAfterTheFirstWrite =
        new Writer() {
          private boolean written;

          @Override
          public void write(char[] chars, int offset, int length) throws java.io.IOException {
            if (written) throw new java.io.IOException("Broken pipe");
            written = true;
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    StringWriter err = new StringWriter();
    String[] inputs = new String[200];
    java.util.Arrays.fill(inputs, "0.05");
    int code =
        Main.run(
            new String[] {
              "map",
              "sleep-blocking",
              String.join(",", inputs),
              "--workers",
              "2",
              "--chunksize",
              "1"
            },
            new PrintWriter(closedAfterTheFirstWrite),
            new PrintWriter(err, true));
    assertEquals(1, code, err.toString());
    assertTrue(
        err.toString().startsWith("clusterpool: standard output was closed after ")
            && err.toString().contains("the rest of the job is cancelled"),
        err.toString());
    assertEquals(1, err.toString().lines().count(), err.toString());
  }
}
