package org.clusterpool.coordinator.input;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterpool.node.text.Escapes;

/**
 * How an error message shows what the user gave: escaped, so that a control character can neither
 * break the line nor drive the terminal, and cut short, so that a 10 MB line does not become a 10
 * MB message. The command line, the HTTP API and the input readers all echo through here.
 *
 * <pre>
 * quote("x")                 'x'
 * quote("a\u0007b\n")        'a\u0007b\n'
 * quote("aaa...", 10485760)  'aaaa…' (10485760 characters)
 * </pre>
 *
 * <p>A backslash stays as it is: the escaped form is for reading, not for pasting back, and leaving
 * it alone makes escaping a message twice change nothing (a path like {@code C:\tmp} also stays
 * readable).
 */
public final class Echo {
  private Echo() {}

  /** About how many characters of an input an error message shows. */
  public static final int MAX = Escapes.MAX;

  /**
   * The most a whole message may take, a last bound for messages made elsewhere (picocli, a
   * worker's error).
   */
  static final int MAX_LINE = 1000;

  /**
   * {@code 'text'}, escaped, and cut to about {@link #MAX} characters with its full length when
   * cut.
   */
  public static String quote(CharSequence text) {
    return Escapes.quote(text, MAX, "null");
  }

  /**
   * The text escaped and cut (an ellipsis where cut), without quotes or length: for a part of a
   * message.
   */
  public static String cut(CharSequence text) {
    return cut(text, MAX);
  }

  /** As {@link #cut(CharSequence)}, to about {@code max} characters. */
  public static String cut(CharSequence text, int max) {
    if (text == null) return "null";
    StringBuilder out = new StringBuilder();
    Escapes.escape(text, out, max);
    return out.toString();
  }

  /**
   * The whole text with every control or invisible character escaped, never cut: for output that
   * must stay complete (a result) yet one line that cannot drive the terminal. Returns the text
   * itself when nothing needs escaping, so printable text (unicode included) costs one scan.
   */
  public static String escaped(String text) {
    if (text == null) return "null";
    int n = text.length();
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      if (!Escapes.visible(cp)) {
        StringBuilder out = new StringBuilder(n + 16).append(text, 0, i);
        Escapes.escape(text.substring(i), out, Integer.MAX_VALUE);
        return out.toString();
      }
      i += Character.charCount(cp);
    }
    return text;
  }

  /**
   * The start of a text too long to hold, as a reader that stopped saw it: {@code 'aaaa…' (more
   * than 65536 characters)}, with {@code length} saying what is known of the whole.
   */
  public static String quoteStart(CharSequence start, String length) {
    StringBuilder out = new StringBuilder("'");
    if (!Escapes.escape(start, out, MAX)) out.append('…');
    return out.append("' (").append(length).append(" characters)").toString();
  }

  /**
   * A whole message made one safe line: every control or invisible character escaped, every quoted
   * part ({@code '...'}) longer than {@link #MAX} cut as {@link #quote} cuts it, and the whole at
   * most {@link #MAX_LINE} characters. For messages built from parts this code does not control
   * (picocli's, a worker's error); escaping a line twice changes nothing.
   */
  public static String line(String message) {
    if (message == null) return "null";
    StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_LINE) + 16);
    int i = 0;
    int n = message.length();
    int last = 0; // where what was written last began: a cut drops from there on
    while (i < n && out.length() < MAX_LINE) {
      last = i;
      int close = opensQuote(message, i) ? closingQuote(message, i + 1) : -1;
      if (close > 0) {
        CharSequence part = message.subSequence(i + 1, close);
        if (part.length() > MAX) {
          out.append(quote(part));
        } else {
          out.append('\'');
          Escapes.escape(part, out, Integer.MAX_VALUE);
          out.append('\'');
        }
        i = close + 1; // a closing quote never opens the next part
        continue;
      }
      int cp = message.codePointAt(i);
      Escapes.appendEscaped(cp, out);
      i += Character.charCount(cp);
    }
    if (i < n || out.length() > MAX_LINE) {
      out.setLength(Math.min(out.length(), MAX_LINE));
      out.append("… (")
          .append(Math.max(n, earlierLength(message, last)))
          .append(" characters in all)");
    }
    return out.toString();
  }

  /** How a text cut earlier says its length: {@code … (5000000 characters)}, or in all. */
  private static final Pattern EARLIER_CUT =
      Pattern.compile("… \\((\\d{1,18}) characters(?: in all)?\\)");

  /**
   * The length of the original of a text cut earlier, as the part dropped from {@code from} on says
   * it (a message cut, then given more words and cut again), else 0: what was cut first is counted,
   * not what was left of it.
   */
  private static long earlierLength(String message, int from) {
    long longest = 0;
    Matcher m = EARLIER_CUT.matcher(message);
    m.region(from, message.length());
    while (m.find()) longest = Math.max(longest, Long.parseLong(m.group(1)));
    return longest;
  }

  /**
   * A quote that opens a quoted part: at the start, or after what is not a letter or digit (not
   * {@code it's}).
   */
  private static boolean opensQuote(String s, int i) {
    return s.charAt(i) == '\'' && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)));
  }

  /** The quote that closes a part: one followed by the end or by what is not a letter or digit. */
  private static int closingQuote(String s, int from) {
    for (int j = s.indexOf('\'', from); j >= 0; j = s.indexOf('\'', j + 1)) {
      if (j + 1 == s.length() || !Character.isLetterOrDigit(s.charAt(j + 1))) return j;
    }
    return -1;
  }
}
