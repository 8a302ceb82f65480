package org.clusterpool.node.task;

import java.util.regex.Pattern;

/**
 * What a task's name may be: the word users type and every node looks up, so lower case letters,
 * digits and {@code -}, starting with a letter ({@code square}, {@code count-primes}, {@code
 * sha256}), at most {@value #MAX_LENGTH} characters.
 */
public final class TaskName {
  private TaskName() {}

  public static final int MAX_LENGTH = 64;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  /** What is accepted, for error messages. */
  public static final String ACCEPTED =
      "lower case letters, digits and -, starting with a letter, at most "
          + MAX_LENGTH
          + " characters";

  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
  }

  /** The name, or an {@link IllegalArgumentException} that shows it and says what is accepted. */
  public static String check(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          "a task's name must be " + ACCEPTED + ", got " + shown(name));
    }
    return name;
  }

  private static String shown(String name) {
    if (name == null) return "none";
    // as the command line quotes what it echoes: 'aaaa…' (5000 characters), which it keeps as is
    boolean cut = name.length() > MAX_LENGTH + 16;
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < name.length() && i < MAX_LENGTH + 15; i++) {
      char c = name.charAt(i);
      out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    if (cut) out.append("…");
    out.append("'");
    if (cut) out.append(" (").append(name.length()).append(" characters)");
    return out.toString();
  }
}
