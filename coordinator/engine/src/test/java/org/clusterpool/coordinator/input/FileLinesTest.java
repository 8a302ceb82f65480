package org.clusterpool.coordinator.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code @FILE}: one input a line, a text line as it is, a number's stripped. */
class FileLinesTest {
  private static final InputParser PARSER =
      InputParser.forCommandLine(new InputLimits(1000, 1000, 1 << 20));

  @Test
  void aTextLineIsTheInputAsItIsSpacesAndEmptyLinesIncluded(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("lines.txt");
    Files.writeString(file, "  spaced  \n\nlast\r\n", StandardCharsets.UTF_8);
    assertEquals(
        List.of("  spaced  ", "", "last"),
        PARSER.parse(BuiltinTasks.FAIL, List.of("@" + file)),
        "three lines, three inputs; the \\r of a CRLF goes with the line's end");
  }

  @Test
  void aNumberLineIsStrippedAndBlankLinesAreSkipped(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("numbers.txt");
    Files.writeString(file, " 3 \n\n  \n4\r\n", StandardCharsets.UTF_8);
    assertEquals(List.of(3L, 4L), PARSER.parse(BuiltinTasks.SQUARE, List.of("@" + file)));
  }
}
