package org.clusterpool.node.pipe;

import com.typesafe.config.Config;
import java.time.Duration;
import org.clusterpool.node.handle.FrameRoom;

/**
 * {@code clusterpool.pipe} from the config.
 *
 * @param buffer the messages one end holds unread before sends to it wait
 * @param maxMessageBytes the most bytes one message takes on the wire; a larger send fails at once
 * @param resendAfter how long a message waits for its confirmation before its end asks the other
 *     what arrived
 * @param giveUpAfter how long a message may stay unconfirmed (or a waited-for other end silent)
 *     before this end counts the other as gone
 * @param direct whether two ends in JVMs of one machine talk over a direct connection (a Unix
 *     domain socket)
 * @param directDir the private folder of those sockets; empty for a new one under {@code
 *     java.io.tmpdir}
 * @param readerStall how long a direct end's reader thread may stay in a callback before another
 *     one reads
 */
public record PipeSettings(
    int buffer,
    long maxMessageBytes,
    Duration resendAfter,
    Duration giveUpAfter,
    boolean direct,
    String directDir,
    Duration readerStall) {

  public PipeSettings {
    if (buffer < 1)
      throw new IllegalArgumentException(
          "clusterpool.pipe.buffer must be at least 1, got " + buffer);
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException(
          "clusterpool.pipe.max-message-bytes must be at least 1, got " + maxMessageBytes);
    }
    if (resendAfter.isNegative() || resendAfter.isZero()) {
      throw new IllegalArgumentException(
          "clusterpool.pipe.resend-after must be positive, got " + resendAfter.toMillis() + " ms");
    }
    if (giveUpAfter.compareTo(resendAfter.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "clusterpool.pipe.give-up-after ("
              + giveUpAfter.toMillis()
              + " ms) must be at least twice clusterpool.pipe.resend-after ("
              + resendAfter.toMillis()
              + " ms)");
    }
    if (readerStall.isNegative() || readerStall.isZero()) {
      throw new IllegalArgumentException(
          "clusterpool.pipe.direct-reader-stall must be positive, got "
              + readerStall.toMillis()
              + " ms");
    }
  }

  public static PipeSettings fromConfig(Config config) {
    Config c = config.getConfig("clusterpool.pipe");
    long maxMessageBytes = c.getBytes("max-message-bytes");
    FrameRoom.check(config, "clusterpool.pipe.max-message-bytes", maxMessageBytes);
    return new PipeSettings(
        c.getInt("buffer"),
        maxMessageBytes,
        c.getDuration("resend-after"),
        c.getDuration("give-up-after"),
        c.getBoolean("direct"),
        c.getString("direct-dir"),
        c.getDuration("direct-reader-stall"));
  }
}
