package org.clusterpool.node.launcher;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of a log file, read from its end within a few KiB, escaped and cut short for a
 * one-line report.
 */
final class LogTail {
  private LogTail() {}

  private static final int READ_BYTES = 16 * 1024;
  private static final int MAX_LINE = 240;

  static List<String> of(Path file, int lines) {
    byte[] tail;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, READ_BYTES);
      tail = new byte[size];
      in.seek(length - size);
      in.readFully(tail);
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
    }
    String[] all = new String(tail, StandardCharsets.UTF_8).split("\r?\n");
    List<String> kept = new ArrayList<>();
    for (int i = all.length - 1; i >= 0 && kept.size() < lines; i--) {
      if (!all[i].isBlank()) kept.add(0, printable(all[i].stripTrailing()));
    }
    return kept;
  }

  private static String printable(String line) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (; i < line.length() && out.length() < MAX_LINE; i++) {
      char c = line.charAt(i);
      if (c == '\t') out.append("  ");
      else if (Character.isISOControl(c)) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    if (i < line.length()) out.append("...");
    return out.toString();
  }
}
