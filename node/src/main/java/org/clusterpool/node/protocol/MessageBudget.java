package org.clusterpool.node.protocol;

import com.typesafe.config.Config;
import java.util.List;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * How many bytes one message may carry, and upper bounds of what each part of a message takes once
 * written.
 *
 * <p>Artery drops a message larger than its frame ({@code
 * pekko.remote.artery.advanced.maximum-frame-size}) with one log line, and a dropped result or
 * assignment is a job that waits for ever. So every message whose size grows with its content
 * (results, errors, batches of work, new chunks, pages) is built under this budget, counted with
 * the bounds below, and what cannot fit fails, saying so. The bounds are over-estimates of the CBOR
 * that Jackson writes (field names included); {@code MessageBudgetTest} writes the worst case of
 * every message and checks it.
 *
 * @param maxBytes {@code clusterpool.message.max-bytes}, by default three quarters of the frame:
 *     the rest is room for what the estimates do not count (the envelope, actor paths)
 */
public record MessageBudget(long maxBytes) {

  /**
   * What a message adds around its content: its own fields, actor references, the serializer's
   * manifest.
   */
  public static final long ENVELOPE = 2048;

  /**
   * What one record inside a message adds around its strings and values: field names, numbers,
   * headers.
   */
  static final long RECORD = 160;

  /**
   * The bytes of a message's content: what a builder may fill, under the budget and beside the
   * envelope.
   */
  public long content() {
    return maxBytes - ENVELOPE;
  }

  public MessageBudget {
    if (maxBytes < 64 * 1024) {
      throw new IllegalArgumentException(
          "clusterpool.message.max-bytes must be at least 64 KiB, got " + maxBytes);
    }
  }

  /**
   * {@code clusterpool.message.max-bytes}: {@code auto} takes three quarters of Artery's frame; a
   * size given must leave a quarter of the frame, or 64 KiB, whichever is less, free.
   */
  public static MessageBudget fromConfig(Config config) {
    long frame = config.getBytes("pekko.remote.artery.advanced.maximum-frame-size");
    String key = "clusterpool.message.max-bytes";
    if (config.getString(key).equals("auto")) return new MessageBudget(frame / 4 * 3);
    long given = config.getBytes(key);
    long room = Math.min(frame / 4, 64 * 1024);
    if (given > frame - room) {
      throw new IllegalArgumentException(
          key
              + " = "
              + given
              + " leaves no room in Artery's frame of "
              + frame
              + " bytes (pekko.remote.artery.advanced.maximum-frame-size): give at most "
              + (frame - room)
              + ", or auto");
    }
    return new MessageBudget(given);
  }

  /** Whether {@code bytes} more fit beside {@code used} bytes of content. */
  public boolean fits(long used, long bytes) {
    return used + bytes <= content();
  }

  // ---- upper bounds of what each part takes in a message

  public static long text(String s) {
    return s == null ? 1 : Values.textBytes(s);
  }

  public static long of(WorkUnit unit) {
    return RECORD
        + text(unit.jobId())
        + text(unit.task())
        + text(unit.fingerprint())
        + unit.inputs().estimatedBytes();
  }

  /**
   * A task of a node's catalog, or of a job: its name, kind and fingerprint. Both are ASCII (a name
   * is lower case letters, digits and {@code -}; a fingerprint printable ASCII, which the
   * coordinator checks): a byte a character.
   */
  public static long of(TaskSignature task) {
    return SIGNATURE + ascii(task.name()) + ascii(task.fingerprint());
  }

  /**
   * What one task of a catalog adds around its name and fingerprint: field names, its kind,
   * headers.
   */
  static final long SIGNATURE = 64;

  /** A text of ASCII characters: a byte each, and at most 5 of header. */
  public static long ascii(String s) {
    return s == null ? 1 : s.length() + 5L;
  }

  public static long of(Chunk chunk) {
    return RECORD + chunk.inputs().estimatedBytes();
  }

  public static long of(UnitResult result) {
    return RECORD
        + text(result.jobId())
        + result.outputs().estimatedBytes()
        + errors(result.errors());
  }

  public static long of(JobEvent.PartDone part) {
    return RECORD
        + text(part.jobId())
        + text(part.worker())
        + part.outputs().estimatedBytes()
        + errors(part.errors());
  }

  /** A span of an {@link Activity}: its four names, and field names and numbers around them. */
  public static long of(Activity.Span span) {
    return RECORD
        + text(span.worker())
        + text(span.node())
        + text(span.jobId())
        + text(span.task());
  }

  public static long errors(List<ElementError> errors) {
    long bytes = 9;
    for (ElementError e : errors) bytes += of(e);
    return bytes;
  }

  public static long of(ElementError error) {
    return 16 + of(error.error());
  }

  public static long of(RemoteError error) {
    long bytes = 48 + text(error.type()) + text(error.message()) + text(error.where());
    for (String frame : error.stack()) bytes += text(frame);
    return bytes;
  }
}
