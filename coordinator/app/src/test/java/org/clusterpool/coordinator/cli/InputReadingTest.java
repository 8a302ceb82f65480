package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line reads from files and standard input, and how it echoes bad input: whatever
 * comes in, the answer is exit code 2 and exactly one line on standard error, escaped and cut
 * short, never a stack trace.
 */
@Timeout(60)
class InputReadingTest {

  /**
   * The run's one line of standard error, after checking that there is exactly one, and no stack.
   */
  private static String oneLine(MainTest.Run run) {
    assertEquals(2, run.code(), run.err());
    assertEquals("", run.out());
    List<String> lines = run.err().lines().toList();
    assertEquals(
        1, lines.size(), run.err().length() > 2000 ? run.err().substring(0, 2000) : run.err());
    String line = lines.get(0);
    assertTrue(line.startsWith("clusterpool: ") || line.startsWith("clusterpool map: "), line);
    assertFalse(line.contains("Exception") || line.contains("\tat "), line);
    assertTrue(line.length() < 1100, "a short line: " + line.length() + " characters");
    return line;
  }

  private static MainTest.Run withStdin(InputStream in, String... args) {
    InputStream before = System.in;
    System.setIn(in);
    try {
      return MainTest.run(args);
    } finally {
      System.setIn(before);
    }
  }

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void devZeroIsBinaryInput() {
    String line = oneLine(MainTest.run("map", "square", "@/dev/zero"));
    assertEquals(
        "clusterpool: '/dev/zero' is not text: a NUL byte on line 1 (byte 0); inputs are UTF-8"
            + " text, one a line",
        line);
    assertTrue(oneLine(MainTest.run("gather", "@/dev/zero")).contains("is not text: a NUL byte"));
  }

  @Test
  void aTenMegabyteLineIsRefusedCutShortWithItsLength(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("big.txt");
    Files.writeString(file, "1\n" + "7".repeat(10 * 1024 * 1024) + "\n3\n");
    String line = oneLine(MainTest.run("map", "square", "@" + file));
    assertEquals(
        "clusterpool: line 2 of '"
            + file
            + "' is too long: '"
            + "7".repeat(79)
            + "…' (10485760 characters);"
            + " an input has at most 65536 characters (clusterpool.input.max-text-length)",
        line);
    Path calls = dir.resolve("calls.txt");
    Files.writeString(calls, "sleep:0.1\nsha256:" + "7".repeat(10 * 1024 * 1024) + "\n");
    assertTrue(oneLine(MainTest.run("gather", "@" + calls)).contains("(10485767 characters)"));
  }

  @Test
  void aBinaryFileIsRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("image.bin");
    Files.write(file, new byte[] {'1', '\n', (byte) 0x89, 'P', 'N', 'G', '\r', '\n'});
    assertEquals(
        "clusterpool: '"
            + file
            + "' is not UTF-8 text: an invalid byte sequence on line 2 (byte 2);"
            + " inputs are UTF-8 text, one a line",
        oneLine(MainTest.run("map", "square", "@" + file)));
  }

  @Test
  void standardInputWithAHugeLineIsRefusedAsItIsRead() {
    byte[] huge = ("2\n" + "x".repeat(10 * 1024 * 1024)).getBytes(StandardCharsets.US_ASCII);
    String line = oneLine(withStdin(new ByteArrayInputStream(huge), "map", "sha256", "-"));
    assertTrue(line.startsWith("clusterpool: line 2 of standard input is too long: 'xxxx"), line);
    assertTrue(line.contains("…' (10485760 characters)"), line);

    String calls = oneLine(withStdin(new ByteArrayInputStream(new byte[] {'s', 0}), "gather", "-"));
    assertTrue(calls.contains("standard input is not text"), calls);
  }

  @Test
  void standardInputIsReadToItsLastLine() {
    MainTest.Run run =
        withStdin(
            new ByteArrayInputStream("3\r\n\n4\n5".getBytes(StandardCharsets.UTF_8)),
            "map",
            "square",
            "-");
    assertEquals(0, run.code(), run.err());
    assertEquals(List.of("9", "16", "25"), run.lines());
  }

  @Test
  void controlCharactersInInputAreEscaped() {
    String line = oneLine(MainTest.run("map", "square", "1\u0007\u001b[2J"));
    assertEquals(
        "clusterpool: cannot read input '1\\u0007\\u001b[2J' for task 'square': expected an"
            + " integer, like 42, got '1\\u0007\\u001b[2J'; INPUTS are values, ranges like 1..100,"
            + " comma lists like 1,2,3, @FILE or - (one input a line)",
        line);
    assertTrue(
        oneLine(MainTest.run("map", "squ\nare", "1"))
            .startsWith("clusterpool: unknown task 'squ\\nare': accepted: "));
    assertTrue(oneLine(MainTest.run("gather", "sleep:\u0000")).contains("'sleep:\\u0000'"));
  }

  @Test
  void longInputIsCutEverywhereItIsEchoed() {
    String big = "9".repeat(100_000);
    String cut = "'" + "9".repeat(79) + "…' (100000 characters)";
    assertTrue(
        oneLine(MainTest.run("map", "square", big)).contains(cut),
        "a value that is no 64-bit integer");
    assertTrue(
        oneLine(MainTest.run("map", "x".repeat(100_000), "1"))
            .startsWith(
                "clusterpool: unknown task '"
                    + "x".repeat(79)
                    + "…' (100000 characters): accepted: "));
    assertTrue(
        oneLine(MainTest.run("map", "square", "1", "--" + "o".repeat(100_000)))
            .contains("…' (100002 characters)"),
        "picocli's own messages too");
    assertTrue(oneLine(MainTest.run("gather", "sleep:" + big)).contains("(100006 characters)"));
    assertTrue(
        oneLine(MainTest.run("demo", "z".repeat(5000)))
            .contains("'" + "z".repeat(79) + "…' (5000 characters)"));
  }
}
