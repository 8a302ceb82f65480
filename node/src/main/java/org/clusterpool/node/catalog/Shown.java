package org.clusterpool.node.catalog;

/**
 * How the catalog's messages show what a task or a setting says of itself (a name, a version, an
 * entry): quoted, escaped and cut as the coordinator's {@code Echo.quote} shows what a user gave,
 * {@code 'a\u001bb'} or {@code 'aaaa…' (5000 characters)}, so that the command line shows it as is,
 * neither cut again nor counted anew.
 */
final class Shown {
  private Shown() {}

  /** About how many characters are shown, as {@code Echo.MAX}. */
  static final int MAX = 80;

  static String quote(String text) {
    if (text == null) return "nothing";
    StringBuilder out = new StringBuilder("'");
    int start = out.length();
    int fits = start;
    boolean cut = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      escape(cp, out);
      i += Character.charCount(cp);
      if (out.length() - start > MAX) {
        out.setLength(fits);
        out.append('…');
        cut = true;
        break;
      }
      if (out.length() - start <= MAX - 1) fits = out.length();
    }
    out.append('\'');
    if (cut) out.append(" (").append(text.length()).append(" characters)");
    return out.toString();
  }

  private static void escape(int cp, StringBuilder out) {
    switch (cp) {
      case '\n' -> out.append("\\n");
      case '\r' -> out.append("\\r");
      case '\t' -> out.append("\\t");
      default -> {
        if (cp == ' ' || visible(cp)) {
          out.appendCodePoint(cp);
        } else {
          for (char c : Character.toChars(cp)) out.append(String.format("\\u%04x", (int) c));
        }
      }
    }
  }

  private static boolean visible(int cp) {
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
