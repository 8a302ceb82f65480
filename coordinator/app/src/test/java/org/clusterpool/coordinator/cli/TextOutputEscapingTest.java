package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.clusterpool.node.task.ValueTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Text output is one line per result or call, whatever a task or the user wrote into it. */
@Timeout(60)
class TextOutputEscapingTest {

  @Test
  void aGatheredCallAndItsErrorAreOneEscapedLine() {
    MainTest.Run run =
        MainTest.run("gather", "fail:\u001b[31mX\nY", "square:3", "--return-exceptions");
    assertEquals(0, run.code(), run.err());
    assertEquals(3, run.lines().size(), run.out());
    assertFalse(run.out().contains("\u001b"), run.out());
    assertTrue(
        run.lines().get(0).startsWith("fail:\\u001b[31mX\\nY -> error: task 'fail' failed"),
        run.out());
    assertTrue(run.lines().get(1).startsWith("square:3 -> 9"), run.out());
  }

  @Test
  void asCompletedLinesAreEscapedToo() {
    MainTest.Run run = MainTest.run("gather", "fail:\u001b[31mX\nY", "--as-completed");
    assertEquals(1, run.code(), run.err());
    assertEquals(2, run.lines().size(), run.out());
    assertFalse(run.out().contains("\u001b"), run.out());
  }

  @Test
  void aTextResultWithControlCharactersStaysOneLineAndPrintableUnicodeStays() {
    StringWriter out = new StringWriter();
    ResultPrinter<String> printer =
        ResultPrinter.create(
            OutputOptions.Format.text, ValueTypes.TEXT, new PrintWriter(out), Map.of());
    printer.print("a\nb\u001b[0m");
    printer.print("héllo ✓");
    printer.finish(Map.of());
    assertEquals("a\\nb\\u001b[0m\nhéllo ✓\n", out.toString());
  }
}
