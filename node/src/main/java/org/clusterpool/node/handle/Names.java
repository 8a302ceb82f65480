package org.clusterpool.node.handle;

import java.util.regex.Pattern;

/**
 * Names of queues and pipes: they become parts of actor names and receptionist keys, so they are
 * kept plain.
 */
public final class Names {
  private Names() {}

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

  /** Returns {@code name}, or throws naming what is accepted. */
  public static String check(String what, String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what
              + " name '"
              + name
              + "' is refused: accepted 1 to 100 letters, digits, '.', '_' or '-',"
              + " starting with a letter or a digit");
    }
    return name;
  }
}
