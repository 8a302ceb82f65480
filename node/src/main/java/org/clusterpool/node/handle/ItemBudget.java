package org.clusterpool.node.handle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.clusterpool.node.wire.Values;

/**
 * The most bytes one item of a queue, or one message of a pipe, may take on the wire: every message
 * that carries one carries exactly one, so with the room the settings keep under Artery's frame for
 * the message around it, no such message is ever too large to send (Artery would drop it with one
 * log line, and its receiver would wait).
 *
 * <p>A sure upper bound is cheap for most items (numbers are 8 bytes, a character at most 3); only
 * an item whose bound is over the limit is measured exactly, by writing it as the transport does.
 */
public final class ItemBudget {
  /**
   * A CBOR string's or array's header, and the tag of a block of values: at most this many bytes
   * each.
   */
  private static final long HEADER = 9;

  private final long maxBytes;
  private final String setting;
  private final String what;
  private final ObjectWriter cbor;

  /**
   * {@code what}: "an item of queue 'jobs'"; {@code setting}: the config path of {@code maxBytes}.
   */
  public ItemBudget(ActorSystem<?> system, long maxBytes, String setting, String what) {
    this.maxBytes = maxBytes;
    this.setting = setting;
    this.what = what;
    // the serializer's own mapper (made here first, if need be, exactly as the serializer makes it)
    this.cbor =
        JacksonObjectMapperProvider.get(system.classicSystem())
            .getOrCreate("jackson-cbor", Optional.of(new CBORFactory()))
            .writerFor(Values.class);
  }

  /**
   * Returns {@code item}, or throws, naming the limit and the setting, when it is larger than one
   * message carries.
   */
  public Values check(Values item) {
    if (upperBound(item) <= maxBytes) return item;
    long bytes = measure(item);
    if (bytes > maxBytes) {
      throw new IllegalArgumentException(
          what
              + " takes "
              + bytes
              + " bytes on the wire, more than the "
              + maxBytes
              + " one message carries ("
              + setting
              + ")");
    }
    return item;
  }

  /**
   * At least as many bytes as the CBOR of {@code item}: a JSON text's character never takes more
   * than 3 bytes.
   */
  static long upperBound(Values item) {
    if (item instanceof Values.Texts texts) {
      long bytes = HEADER;
      for (String s : texts.values()) bytes += HEADER + (s == null ? 1 : 3L * s.length());
      return bytes;
    }
    if (item instanceof Values.Jsons jsons) {
      long bytes = HEADER;
      for (JsonNode node : jsons.values())
        bytes += HEADER + (node == null ? 1 : 3L * node.toString().length());
      return bytes;
    }
    return 2 * HEADER + item.estimatedBytes(); // numbers and booleans: their exact size, raw
  }

  private long measure(Values item) {
    Counter counter = new Counter();
    try {
      cbor.writeValue(counter, item);
    } catch (IOException e) {
      throw new UncheckedIOException(
          what + " cannot be written for the wire: " + e.getMessage(), e);
    }
    return counter.bytes;
  }

  private static final class Counter extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }
}
