package org.clusterpool.node.task;

import java.util.regex.Pattern;
import org.clusterpool.node.text.Escapes;

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
    // as the command line quotes what it echoes, which it keeps as is
    return Escapes.quote(name, Escapes.MAX, "none");
  }
}
