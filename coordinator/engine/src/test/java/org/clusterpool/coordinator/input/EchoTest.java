package org.clusterpool.coordinator.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How error messages show what a user gave: escaped, and cut short with its length. */
class EchoTest {

  @Test
  void shortPrintableTextIsQuotedAsItIs() {
    assertEquals("'x'", Echo.quote("x"));
    assertEquals("'1..100'", Echo.quote("1..100"));
    assertEquals("'héllo wörld €'", Echo.quote("héllo wörld €"), "letters of any script are shown");
    assertEquals("'C:\\tmp'", Echo.quote("C:\\tmp"), "a backslash stays");
  }

  @Test
  void controlAndInvisibleCharactersAreEscaped() {
    assertEquals("'a\\nb\\r\\tc'", Echo.quote("a\nb\r\tc"));
    assertEquals(
        "'\\u0007\\u001b[31mred'",
        Echo.quote("\u0007\u001b[31mred"),
        "a bell and an escape sequence");
    assertEquals("'\\u0000'", Echo.quote("\0"));
    assertEquals("'a\\u200bb'", Echo.quote("a\u200bb"), "a zero-width space is a format character");
    assertEquals("'\\u2028'", Echo.quote("\u2028"), "a line separator");
    assertEquals("'\\u00a0'", Echo.quote("\u00a0"), "a no-break space is not a plain space");
    assertEquals("'\\ud800x'", Echo.quote("\ud800x"), "half a surrogate pair");
    assertEquals("'\uD83D\uDE00'", Echo.quote("\uD83D\uDE00"), "a whole pair is a character");
  }

  @Test
  void longTextIsCutToAboutEightyCharactersWithItsLength() {
    String big = "a".repeat(10_485_760);
    String quoted = Echo.quote(big);
    assertEquals("'" + "a".repeat(79) + "…' (10485760 characters)", quoted);
    assertEquals("'" + "a".repeat(80) + "'", Echo.quote("a".repeat(80)), "eighty fit");
    assertEquals("'" + "a".repeat(79) + "…' (81 characters)", Echo.quote("a".repeat(81)));
  }

  @Test
  void escapesCountTowardsTheCutAndAreNeverSplit() {
    String bells = "\u0007".repeat(50); // 300 characters once escaped
    String quoted = Echo.quote(bells);
    assertTrue(quoted.endsWith("…' (50 characters)"), quoted);
    String inside = quoted.substring(1, quoted.indexOf('…'));
    assertTrue(inside.length() <= 79, inside);
    assertEquals(0, inside.length() % 6, "whole escapes only: " + inside);
    String cut = Echo.cut("x\n".repeat(100));
    assertTrue(cut.startsWith("x\\nx\\n") && cut.endsWith("…") && cut.length() <= Echo.MAX, cut);
    assertFalse(cut.endsWith("\\…"), "no half escape before the ellipsis: " + cut);
  }

  @Test
  void aStartKnownToBeLongSaysWhatIsKnownOfItsLength() {
    assertEquals("'abc…' (more than 65536 characters)", Echo.quoteStart("abc", "more than 65536"));
    assertEquals(
        "'" + "a".repeat(79) + "…' (70000 characters)", Echo.quoteStart("a".repeat(200), "70000"));
  }

  @Test
  void aLineIsOneLineWithLongQuotedPartsCutAndEscapingItTwiceChangesNothing() {
    String message = "Unmatched argument at index 0: '" + "z".repeat(5000) + "'\nsecond line\u0007";
    String line = Echo.line(message);
    assertEquals(
        "Unmatched argument at index 0: '"
            + "z".repeat(79)
            + "…' (5000 characters)\\nsecond line\\u0007",
        line);
    assertEquals(line, Echo.line(line));
    assertEquals(
        "input '99' is refused: it's out of range",
        Echo.line("input '99' is refused: it's out of range"),
        "an apostrophe in a word opens no quoted part");
    String quoted =
        "cannot read input "
            + Echo.quote("q".repeat(200))
            + " for task 'square': expected an integer";
    assertEquals(quoted, Echo.line(quoted), "an echo already cut stays as it is");
  }

  @Test
  void aLineIsBoundedWhateverItHolds() {
    String line = Echo.line("word ".repeat(10_000));
    assertTrue(line.length() < Echo.MAX_LINE + 40, line.length() + " characters");
    assertTrue(line.endsWith("… (50000 characters in all)"), line.substring(line.length() - 40));
    assertFalse(Echo.line("a\nb").contains("\n"));
  }

  @Test
  void aLineCutAgainSaysTheLengthOfWhatWasCutFirst() {
    String once = Echo.line("x".repeat(10_000));
    assertTrue(once.endsWith("… (10000 characters in all)"), once);
    String twice = Echo.line("input '4' is refused: " + once);
    assertTrue(twice.endsWith("… (10000 characters in all)"), twice);
    assertEquals(twice, Echo.line(twice), "escaping it again changes nothing");
    // as a worker's error comes: its message cut to 2000, then the worker named after it
    String error =
        "task 'boom' failed on input 1 (position 0): RuntimeException: "
            + "y".repeat(1970)
            + "… (5000000 characters) [worker-1]";
    String line = Echo.line(error);
    assertTrue(line.endsWith("… (5000000 characters in all)"), line);
    assertTrue(
        Echo.line("clusterpool: " + line).endsWith("… (5000000 characters in all)"),
        Echo.line("clusterpool: " + line));
  }

  @Test
  void escapedKeepsTheWholeTextAndPrintableTextAsItIs() {
    String printable = "héllo ✓ " + "a".repeat(500);
    assertTrue(printable == Echo.escaped(printable), "nothing to escape: the same text");
    String long_ = "x".repeat(500) + "\n" + "y".repeat(500);
    assertEquals("x".repeat(500) + "\\n" + "y".repeat(500), Echo.escaped(long_), "never cut");
    assertEquals("a\\u001b[0mb", Echo.escaped("a\u001b[0mb"));
  }
}
