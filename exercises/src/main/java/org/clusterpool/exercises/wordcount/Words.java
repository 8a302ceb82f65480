package org.clusterpool.exercises.wordcount;

import java.util.function.Consumer;

/**
 * Cuts a chunk into its words: lower-case words separated by single spaces, as the corpus writes
 * them.
 */
final class Words {
  private Words() {}

  static void each(String chunk, Consumer<String> action) {
    int start = 0;
    while (start < chunk.length()) {
      int space = chunk.indexOf(' ', start);
      int end = space < 0 ? chunk.length() : space;
      if (end > start) action.accept(chunk.substring(start, end));
      start = end + 1;
    }
  }
}
