package org.clusterpool.coordinator.pool;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * An application's actor system that reaches a cluster must take what the members send it. They
 * build their messages under their own frame (clusterpool's {@code pekko.conf}: 2 MiB), and Artery
 * drops, with one log line, a message larger than the frame of the system that receives it: a
 * client with Pekko's default frame of 256 KiB would lose a large piece of results and its job
 * would never end. So such a system is refused at once, saying what to set.
 */
final class ArteryFrame {
  private static final String KEY = "pekko.remote.artery.advanced.maximum-frame-size";

  private ArteryFrame() {}

  /**
   * Refuses a system that talks to other JVMs with a smaller frame than clusterpool's members have.
   */
  static void check(Config config) {
    String provider = config.getString("pekko.actor.provider");
    if (provider.equals("local") || provider.endsWith("LocalActorRefProvider"))
      return; // nothing comes from the wire
    long members = ConfigFactory.parseResources("pekko.conf").getBytes(KEY);
    long frame = config.getBytes(KEY);
    if (frame < members) {
      throw new IllegalArgumentException(
          "ClusterPool.connect: this actor system's "
              + KEY
              + " is "
              + frame
              + " bytes, smaller than the "
              + members
              + " of clusterpool's members, whose larger messages it would drop: set "
              + KEY
              + " = "
              + members
              + " (clusterpool's pekko.conf)");
    }
  }
}
