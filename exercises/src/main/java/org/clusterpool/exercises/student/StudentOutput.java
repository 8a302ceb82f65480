package org.clusterpool.exercises.student;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.clusterpool.exercises.report.OneLine;

/**
 * Where the solutions' own {@code System.out} and {@code System.err} go while an exercise runs:
 * passed on line by line, every control character but the line break escaped ({@code \u001b}), so
 * that a solution cannot drive the terminal, and only the first {@link #MAX_CHARS} characters, so
 * that a solution printing in a loop cannot flood it; {@link #finish} then says how much was
 * dropped, in one line.
 */
public final class StudentOutput extends OutputStream {

  /** The most characters passed on; the rest is counted, not shown. */
  public static final int MAX_CHARS = 4096;

  /** A line longer than this is passed on in pieces. */
  private static final int PIECE = 1024;

  private final PrintWriter target;
  private final int maxChars;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long passed;
  private long dropped;
  private boolean atLineStart = true;

  /** The dropped bytes {@link #finish} has told of already: called twice, it says nothing twice. */
  private long told;

  public StudentOutput(PrintWriter target) {
    this(target, MAX_CHARS);
  }

  StudentOutput(PrintWriter target, int maxChars) {
    this.target = target;
    this.maxChars = maxChars;
  }

  @Override
  public synchronized void write(int b) {
    if (passed >= maxChars) {
      dropped++;
      return;
    }
    line.write(b);
    if (b == '\n' || line.size() >= PIECE) pass();
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = 0; i < length; i++) write(bytes[offset + i]);
  }

  @Override
  public synchronized void flush() {
    pass();
    target.flush();
  }

  /** Bytes dropped past the limit so far. */
  public synchronized long dropped() {
    return dropped;
  }

  /**
   * Passes on what is left, and says in one line how much was dropped, if anything: {@code
   * exercise: 440,000 more bytes that the solutions printed were dropped}.
   */
  public synchronized void finish() {
    pass();
    if (dropped > told) {
      if (!atLineStart) target.println();
      target.println(
          "clusterpool exercise: "
              + String.format(java.util.Locale.ROOT, "%,d", dropped - told)
              + " more bytes that the solutions printed were dropped (only the first "
              + String.format(java.util.Locale.ROOT, "%,d", maxChars)
              + " characters are shown)");
      atLineStart = true;
      told = dropped;
    }
    target.flush();
  }

  private void pass() {
    if (line.size() == 0) return;
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int before = out.length();
      if (cp == '\n') out.append('\n');
      else OneLine.escape(cp, out);
      if (passed + out.length() > maxChars) {
        out.setLength(before);
        dropped += text.substring(i).getBytes(StandardCharsets.UTF_8).length;
        break;
      }
      i += Character.charCount(cp);
    }
    passed += out.length();
    if (passed >= maxChars && out.length() == 0) passed = maxChars;
    if (out.length() > 0) {
      target.print(out);
      atLineStart = out.charAt(out.length() - 1) == '\n';
    }
    if (dropped > 0) passed = Math.max(passed, maxChars);
    target.flush();
  }
}
