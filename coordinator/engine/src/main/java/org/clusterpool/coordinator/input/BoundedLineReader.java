package org.clusterpool.coordinator.input;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of UTF-8 text from a file or standard input, one input (or call) a line, each bounded while
 * it is read: a line longer than {@code maxLength} characters is refused as soon as it passes the
 * limit, never read whole ({@code @/dev/zero} and a 10 MB line are one-line errors, not an {@code
 * OutOfMemoryError}). Binary input is refused too: a NUL byte, or bytes that are not UTF-8. A line
 * ends at {@code \n}; a {@code \r} before it goes with it.
 */
public final class BoundedLineReader implements Closeable {
  /**
   * How far past the limit a refused line is still counted, to say its length; beyond, "more than".
   */
  private static final long COUNT_LIMIT = 64L << 20;

  private final InputStream in;

  /**
   * Where the lines come from, as messages name it: {@code 'inputs.txt'} or {@code standard input}.
   */
  private final String source;

  private final int maxLength;

  /** What the message says of the limit: the setting it comes from. */
  private final String limitNote;

  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;
  private long offset; // of buffer[0] in the whole input
  private long lineNumber;
  private byte[] line = new byte[256];
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  /** Lines of inputs or calls, bounded by {@code clusterpool.input.max-text-length}. */
  public BoundedLineReader(InputStream in, String source, int maxLength) {
    this(
        in,
        source,
        maxLength,
        "an input has at most " + maxLength + " characters (clusterpool.input.max-text-length)");
  }

  /**
   * Lines of anything, bounded by {@code maxLength}; {@code limitNote} says what bounds them in a
   * refusal.
   */
  public BoundedLineReader(InputStream in, String source, int maxLength, String limitNote) {
    this.in = in;
    this.source = source;
    this.maxLength = maxLength;
    this.limitNote = limitNote;
  }

  /** The number of the line {@link #next} returned last, from 1. */
  public long lineNumber() {
    return lineNumber;
  }

  /**
   * The next line, without its end; {@code null} at the end of the input. Throws {@link
   * InputTooLarge} for a line past the limit and {@link InputError} for binary input, each one line
   * naming the source and the line.
   */
  public String next() throws IOException {
    int length = 0; // bytes of the line so far
    long chars = 0; // UTF-16 characters they make
    long lineStart = offset + position;
    int continuations =
        0; // in a row: more than 3 is not UTF-8, and would grow the line without counting
    boolean any = false;
    while (true) {
      if (position == limit && !fill()) {
        if (!any) return null;
        break;
      }
      any = true;
      byte b = buffer[position++];
      if (b == '\n') break;
      if (b == 0) {
        throw new InputError(
            source
                + " is not text: a NUL byte on line "
                + (lineNumber + 1)
                + " (byte "
                + (offset + position - 1)
                + "); inputs are UTF-8 text, one a line");
      }
      continuations = (b & 0xC0) == 0x80 ? continuations + 1 : 0;
      if (continuations > 3) throw notUtf8(lineNumber + 1, offset + position - 1);
      chars += utf16Length(b);
      if (chars > maxLength) throw tooLong(length, chars);
      if (length == line.length) line = Arrays.copyOf(line, line.length * 2);
      line[length++] = b;
    }
    lineNumber++;
    if (length > 0 && line[length - 1] == '\r') length--;
    // a byte-order mark opens many a file written on Windows: it is no part of the first input
    int from = lineStart == 0 && startsWithByteOrderMark(length) ? 3 : 0;
    ByteBuffer bytes = ByteBuffer.wrap(line, from, length - from);
    CharBuffer text = CharBuffer.allocate(length); // UTF-8 makes at most a character a byte
    utf8.reset();
    CoderResult result = utf8.decode(bytes, text, true);
    if (!result.isError()) result = utf8.flush(text);
    // the decoder stops at the first byte of the sequence it cannot read
    if (result.isError()) throw notUtf8(lineNumber, lineStart + bytes.position());
    return text.flip().toString();
  }

  private boolean startsWithByteOrderMark(int length) {
    return length >= 3
        && line[0] == (byte) 0xEF
        && line[1] == (byte) 0xBB
        && line[2] == (byte) 0xBF;
  }

  private InputError notUtf8(long number, long at) {
    return new InputError(
        source
            + " is not UTF-8 text: an invalid byte sequence on line "
            + number
            + " (byte "
            + at
            + "); inputs are UTF-8 text, one a line");
  }

  /**
   * The refusal of the line being read, which has just passed the limit: its start as read so far,
   * and its length, counted on to its end without keeping it (up to {@link #COUNT_LIMIT} bytes).
   */
  private InputTooLarge tooLong(int length, long charsSoFar) throws IOException {
    long chars = charsSoFar;
    long counted = 0;
    boolean ended = false;
    while (counted < COUNT_LIMIT) {
      if (position == limit && !fill()) {
        ended = true;
        break;
      }
      byte b = buffer[position++];
      counted++;
      if (b == '\n') {
        ended = true;
        break;
      }
      chars += utf16Length(b);
    }
    String start = new String(line, 0, Math.min(length, 4 * Echo.MAX), StandardCharsets.UTF_8);
    String whole = ended ? Long.toString(chars) : "more than " + chars;
    return new InputTooLarge(
        "line "
            + (lineNumber + 1)
            + " of "
            + source
            + " is too long: "
            + Echo.quoteStart(start, whole)
            + "; "
            + limitNote);
  }

  /**
   * UTF-16 characters that a UTF-8 byte starts: none for a continuation byte, two for a 4-byte
   * sequence.
   */
  private static int utf16Length(byte b) {
    if ((b & 0xC0) == 0x80) return 0;
    return (b & 0xF8) == 0xF0 ? 2 : 1;
  }

  private boolean fill() throws IOException {
    offset += limit;
    position = 0;
    limit = 0;
    int n = in.read(buffer);
    while (n == 0) n = in.read(buffer);
    if (n < 0) return false;
    limit = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
