package org.clusterpool.coordinator.demo;

import java.io.PrintWriter;

/**
 * Lines as a class reads them on a projector: a long sentence wrapped at word boundaries, its next
 * lines indented.
 */
final class Projector {
  private Projector() {}

  /** Wide enough for the demos' tables, narrow enough for a projected terminal. */
  static final int WIDTH = 116;

  /**
   * Prints {@code text}, wrapped at {@link #WIDTH}; the lines after the first keep its indentation
   * plus two spaces.
   */
  static void print(PrintWriter out, String text) {
    out.println(wrap(text, WIDTH));
  }

  static String wrap(String text, int width) {
    int lead = 0;
    while (lead < text.length() && text.charAt(lead) == ' ') lead++;
    String indent = " ".repeat(lead + 2);
    StringBuilder wrapped = new StringBuilder();
    StringBuilder line = new StringBuilder(text.substring(0, lead));
    for (String word : text.substring(lead).split(" ")) {
      if (word.isEmpty()) continue;
      boolean empty = line.toString().isBlank();
      if (!empty && line.length() + 1 + word.length() > width) {
        wrapped.append(line).append('\n');
        line = new StringBuilder(indent);
        empty = true;
      }
      if (!empty) line.append(' ');
      line.append(word);
    }
    return wrapped.append(line).toString();
  }
}
