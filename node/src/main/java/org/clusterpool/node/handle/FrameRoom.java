package org.clusterpool.node.handle;

import com.typesafe.config.Config;

/**
 * Checks that a budget for one item leaves room, under the transport's frame, for the message
 * around it.
 */
public final class FrameRoom {
  private FrameRoom() {}

  /** What a message of a queue or a pipe adds around its item: actor paths, numbers, type names. */
  public static final long ENVELOPE_BYTES = 64 * 1024;

  /**
   * Throws, naming both settings, when {@code itemBytes} leaves less than {@link #ENVELOPE_BYTES}
   * under the frame.
   */
  public static void check(Config config, String setting, long itemBytes) {
    if (config.getString("pekko.actor.provider").equals("local")) return; // nothing crosses a JVM
    long frame = config.getBytes("pekko.remote.artery.advanced.maximum-frame-size");
    if (itemBytes > frame - ENVELOPE_BYTES) {
      throw new IllegalArgumentException(
          setting
              + " ("
              + itemBytes
              + " bytes) must leave "
              + ENVELOPE_BYTES
              + " bytes under pekko.remote.artery.advanced.maximum-frame-size ("
              + frame
              + " bytes) for the message around an item");
    }
  }
}
