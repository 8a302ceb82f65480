package org.clusterpool.coordinator.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Lines read one at a time, each refused as soon as it passes its limit; binary input refused. */
@Timeout(30)
class BoundedLineReaderTest {

  private static List<String> lines(byte[] bytes, int max) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BoundedLineReader reader =
        new BoundedLineReader(new ByteArrayInputStream(bytes), "test input", max)) {
      for (String line = reader.next(); line != null; line = reader.next()) lines.add(line);
    }
    return lines;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsLinesEndedByNewlineOrCarriageReturnNewline() throws IOException {
    assertEquals(
        List.of("1", "22", "", "héllo €", "last"), lines(utf8("1\n22\r\n\nhéllo €\nlast"), 10));
    assertEquals(List.of(), lines(new byte[0], 10));
    assertEquals(List.of(""), lines(utf8("\n"), 10));
  }

  @Test
  void aLineOfExactlyTheLimitIsReadAndOneMoreIsRefusedWithItsLength() throws IOException {
    assertEquals(List.of("a".repeat(10), "b"), lines(utf8("a".repeat(10) + "\nb\n"), 10));
    InputTooLarge refused =
        assertThrows(InputTooLarge.class, () -> lines(utf8("ok\n" + "a".repeat(11) + "\nb\n"), 10));
    assertEquals(
        "line 2 of test input is too long: 'aaaaaaaaaa…' (11 characters); an input has at most 10"
            + " characters (clusterpool.input.max-text-length)",
        refused.getMessage());
  }

  @Test
  void charactersAreCountedNotBytes() throws IOException {
    String euros = "€".repeat(10); // 30 bytes
    assertEquals(List.of(euros), lines(utf8(euros), 10));
    String faces = "\uD83D\uDE00".repeat(5); // 20 bytes, ten UTF-16 characters
    assertEquals(List.of(faces), lines(utf8(faces), 10));
    assertThrows(InputTooLarge.class, () -> lines(utf8(faces + "x"), 10));
  }

  /**
   * An endless line: refused having read the limit and counted on a bounded way, never held whole.
   */
  @Test
  void anEndlessLineIsRefusedWithoutBeingReadWhole() {
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'a';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) 'a');
            return len;
          }
        };
    BoundedLineReader reader = new BoundedLineReader(endless, "standard input", 65536);
    InputTooLarge refused = assertThrows(InputTooLarge.class, reader::next);
    assertTrue(
        refused.getMessage().startsWith("line 1 of standard input is too long: 'aaaa"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("…' (more than "), refused.getMessage());
  }

  @Test
  void aNulByteIsBinaryInput() {
    InputError refused =
        assertThrows(InputError.class, () -> lines(new byte[] {'1', '\n', '2', 0, '3'}, 10));
    assertEquals(
        "test input is not text: a NUL byte on line 2 (byte 3); inputs are UTF-8 text, one a line",
        refused.getMessage());
  }

  /** Many a file written on Windows opens with one: it is no part of the first input. */
  @Test
  void aByteOrderMarkAtTheStartIsSkipped() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] file = new byte[] {bom[0], bom[1], bom[2], 's', 'q', '\r', '\n', 'x', '\n'};
    assertEquals(List.of("sq", "x"), lines(file, 10));
    assertEquals(List.of(""), lines(bom, 10), "a file of a mark alone holds one empty line");
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    InputError invalid =
        assertThrows(
            InputError.class,
            () -> lines(new byte[] {'1', '\n', (byte) 0xFF, (byte) 0xFE, '\n'}, 10));
    assertEquals(
        "test input is not UTF-8 text: an invalid byte sequence on line 2 (byte 2); inputs are"
            + " UTF-8 text, one a line",
        invalid.getMessage());
    // the byte itself, not the start of its line
    InputError inside =
        assertThrows(
            InputError.class,
            () -> lines(new byte[] {'1', '\n', '2', '3', (byte) 0xC3, '(', '\n'}, 10));
    assertTrue(inside.getMessage().contains("on line 2 (byte 4)"), inside.getMessage());
    byte[] continuations = new byte[1000];
    Arrays.fill(continuations, (byte) 0x80); // counts no character: refused at once, not held
    assertThrows(InputError.class, () -> lines(continuations, 10));
  }

  @Test
  void theParserReadsFilesThroughItAndBoundsTheCountAndTheText(@TempDir Path dir)
      throws IOException {
    Path six = dir.resolve("six.txt");
    Files.writeString(six, "1\n2\n3\n4\n5\n6\n");
    InputParser five = InputParser.forCommandLine(new InputLimits(5, 100, 1 << 20));
    InputTooLarge count =
        assertThrows(
            InputTooLarge.class, () -> five.parse(BuiltinTasks.SQUARE, List.of("@" + six)));
    assertTrue(
        count.getMessage().contains("clusterpool.input.max-inline-inputs"), count.getMessage());

    InputParser small = InputParser.forCommandLine(new InputLimits(1000, 100, 10));
    InputTooLarge text =
        assertThrows(
            InputTooLarge.class, () -> small.parse(BuiltinTasks.SQUARE, List.of("@" + six)));
    assertTrue(text.getMessage().contains("clusterpool.input.max-inline-bytes"), text.getMessage());

    assertEquals(
        List.of(1L, 2L, 3L, 4L, 5L, 6L),
        InputParser.forCommandLine(new InputLimits(1000, 100, 1 << 20))
            .parse(BuiltinTasks.SQUARE, List.of("@" + six)));
  }
}
