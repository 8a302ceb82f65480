package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code demo} refuses, in one line and before any demo starts, what no demo can honour: every demo
 * starts the pool it measures, so it never runs on a cluster it is given.
 */
@Timeout(60)
class DemoCommandTest {

  static Stream<Arguments> refused() {
    String connect = "demo does not take --connect";
    return Stream.of(
        Arguments.of(List.of("demo", "gather", "--connect=http://127.0.0.1:1"), connect),
        Arguments.of(List.of("demo", "gil", "--connect=http://user:secret@127.0.0.1:1"), connect),
        Arguments.of(List.of("demo", "pool", "--connect", "http://127.0.0.1:1"), connect),
        Arguments.of(List.of("demo", "process", "--connect"), connect),
        Arguments.of(List.of("demo", "hello", "--connect"), connect),
        Arguments.of(List.of("demo", "--connect=http://127.0.0.1:1"), connect),
        Arguments.of(
            List.of("demo", "pool", "--ca-file", "ca.crt"), "--ca-file goes with --connect"),
        Arguments.of(
            List.of("demo", "pool", "--token-file", "token"), "--token-file goes with --connect"),
        Arguments.of(
            List.of("demo", "pool", "--dashboard-port=19001"),
            "--dashboard-port goes with --dashboard"),
        Arguments.of(
            List.of("demo", "isolation", "--workers", "1"),
            "demo isolation compares the counters of several workers: it needs 2 or more, got 1"),
        Arguments.of(
            List.of("demo", "isolation", "--nodes", "1", "--workers", "1"),
            "demo isolation compares the counters of several workers: it needs 2 or more, got 1"),
        Arguments.of(List.of("demo", "process", "--workers", "3"), "demo process starts one"),
        Arguments.of(List.of("demo", "process", "--nodes", "2"), "demo process starts one"),
        Arguments.of(List.of("demo", "process", "--dashboard"), "demo process starts one"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void whatADemoCannotHonourIsRefusedInOneLineWithExitCodeTwo(List<String> args, String expected) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(ExitCodes.USAGE, code, err.toString());
    assertEquals("", out.toString(), "nothing of the demo ran");
    List<String> lines = err.toString().lines().toList();
    assertEquals(1, lines.size(), err.toString());
    assertTrue(lines.get(0).startsWith("clusterpool: " + expected), lines.get(0));
    assertFalse(lines.get(0).contains("secret"), "a URL's password is never echoed");
  }
}
