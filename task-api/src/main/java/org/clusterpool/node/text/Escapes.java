package org.clusterpool.node.text;

/**
 * How a message shows text it does not control (what a user typed, what a task says of itself):
 * every control or invisible character escaped, so that one message stays one line that cannot
 * drive the terminal, and a long text cut to a bound with its full length said. The coordinator's
 * {@code Echo} and the task catalog's messages both show text this way, so the command line shows
 * what the catalog quoted as is, neither escaped nor counted again.
 */
public final class Escapes {
  private Escapes() {}

  /** About how many characters a quoted text shows before it is cut. */
  public static final int MAX = 80;

  /** {@code 'text'}, escaped and cut to about {@link #MAX} characters; {@code nothing} for null. */
  public static String quote(CharSequence text) {
    return quote(text, MAX, "nothing");
  }

  /**
   * {@code 'text'}, escaped, and cut to about {@code max} characters with its full length when cut
   * ({@code 'aaaa…' (5000 characters)}); {@code ifNull} when there is no text.
   */
  public static String quote(CharSequence text, int max, String ifNull) {
    if (text == null) return ifNull;
    StringBuilder out = new StringBuilder("'");
    boolean cut = escape(text, out, max);
    out.append('\'');
    if (cut) out.append(" (").append(text.length()).append(" characters)");
    return out.toString();
  }

  /**
   * Escapes {@code text} into {@code out}; when its escaped form passes {@code max} characters,
   * keeps the whole escapes that fit in {@code max - 1} and an ellipsis. Reads no further than it
   * writes: a cut costs {@code max}, whatever the text's length. Returns whether it cut.
   */
  public static boolean escape(CharSequence text, StringBuilder out, int max) {
    int start = out.length();
    int fits = start; // the end of the last whole escape within max - 1 characters
    int i = 0;
    int n = text.length();
    while (i < n) {
      int cp = Character.codePointAt(text, i);
      appendEscaped(cp, out);
      i += Character.charCount(cp);
      int written = out.length() - start;
      if (written > max) {
        out.setLength(fits);
        out.append('…');
        return true;
      }
      if (written <= max - 1) fits = out.length();
    }
    return false;
  }

  /** The character as itself when a terminal shows it so, else as its escape. */
  public static void appendEscaped(int cp, StringBuilder out) {
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

  /**
   * Whether a terminal shows the character as itself: not a control, format, separator or
   * unassigned one.
   */
  public static boolean visible(int cp) {
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
