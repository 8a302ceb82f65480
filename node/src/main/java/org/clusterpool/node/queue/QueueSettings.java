package org.clusterpool.node.queue;

import com.typesafe.config.Config;
import java.time.Duration;
import org.clusterpool.node.handle.FrameRoom;

/**
 * {@code clusterpool.queue} from the config.
 *
 * @param window puts (and gets) one handle keeps on their way to the queue at once: the queue never
 *     holds more than this many waiting puts per handle, whatever the handle's user does
 * @param lookupTimeout how long a lookup waits for the name to appear in the cluster
 * @param closedLinger how long a closed, emptied queue keeps answering "closed" before it frees its
 *     name
 * @param maxItemBytes the most bytes one item takes on the wire; a larger put fails at once
 * @param resendAfter how long a message waits for its confirmation before its sender asks what
 *     arrived
 * @param giveUpAfter how long a message may stay unconfirmed (or a waited-for peer silent) before
 *     the handle, or the queue, treats the other side as gone
 */
public record QueueSettings(
    int window,
    Duration lookupTimeout,
    Duration closedLinger,
    long maxItemBytes,
    Duration resendAfter,
    Duration giveUpAfter) {

  public QueueSettings {
    if (window < 1)
      throw new IllegalArgumentException(
          "clusterpool.queue.window must be at least 1, got " + window);
    if (maxItemBytes < 1)
      throw new IllegalArgumentException(
          "clusterpool.queue.max-item-bytes must be at least 1, got " + maxItemBytes);
    if (resendAfter.isNegative() || resendAfter.isZero()) {
      throw new IllegalArgumentException(
          "clusterpool.queue.resend-after must be positive, got " + resendAfter.toMillis() + " ms");
    }
    if (giveUpAfter.compareTo(resendAfter.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "clusterpool.queue.give-up-after ("
              + giveUpAfter.toMillis()
              + " ms) must be at least twice clusterpool.queue.resend-after ("
              + resendAfter.toMillis()
              + " ms)");
    }
  }

  public static QueueSettings fromConfig(Config config) {
    Config c = config.getConfig("clusterpool.queue");
    long maxItemBytes = c.getBytes("max-item-bytes");
    FrameRoom.check(config, "clusterpool.queue.max-item-bytes", maxItemBytes);
    return new QueueSettings(
        c.getInt("window"),
        c.getDuration("lookup-timeout"),
        c.getDuration("closed-linger"),
        maxItemBytes,
        c.getDuration("resend-after"),
        c.getDuration("give-up-after"));
  }
}
