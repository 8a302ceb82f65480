package org.clusterpool.exercises.report;

/**
 * What a student's code says (an exception's message, what it prints), made safe for a terminal:
 * every control or invisible character escaped ({@code \n}, {@code \u001b}), so that it can neither
 * break a line nor drive the terminal, and a long text cut short. The same escaping as the
 * coordinator's {@code Echo}, which this module cannot see: a backslash stays as it is, so escaping
 * twice changes nothing.
 */
public final class OneLine {
  private OneLine() {}

  /** The most characters of a student's message that a table cell or a finding shows. */
  public static final int MAX = 200;

  /** The text escaped, and cut to about {@link #MAX} characters with an ellipsis where cut. */
  public static String of(String text) {
    return of(text, MAX);
  }

  /** The text escaped, and cut to about {@code max} characters with an ellipsis where cut. */
  public static String of(String text, int max) {
    if (text == null) return "null";
    StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
    int n = text.length();
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      int before = out.length();
      escape(cp, out);
      if (out.length() > max) {
        out.setLength(before);
        return out.append("… (").append(n).append(" characters)").toString();
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** Appends one character, escaped unless a terminal shows it as itself. */
  public static void escape(int cp, StringBuilder out) {
    switch (cp) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> {
        if (visible(cp)) {
          out.appendCodePoint(cp);
        } else {
          for (char c : Character.toChars(cp)) out.append(String.format("\\u%04x", (int) c));
        }
      }
    }
  }

  /** Whether a terminal shows the character as itself: not a control, format or separator. */
  static boolean visible(int cp) {
    if (cp == ' ') return true;
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.UNASSIGNED,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SPACE_SEPARATOR ->
          false;
      default -> true;
    };
  }
}
