package org.clusterpool.node.queue;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code clusterpool.queue} from the config.
 *
 * @param window puts (and gets) one handle keeps on their way to the queue at once: the queue never holds more
 *     than this many waiting puts per handle, whatever the handle's user does
 * @param lookupTimeout how long a lookup waits for the name to appear in the cluster
 * @param closedLinger how long a closed, emptied queue keeps answering "closed" before it frees its name
 */
public record QueueSettings(int window, Duration lookupTimeout, Duration closedLinger) {

  public QueueSettings {
    if (window < 1) throw new IllegalArgumentException("clusterpool.queue.window must be at least 1, got " + window);
  }

  public static QueueSettings fromConfig(Config config) {
    Config c = config.getConfig("clusterpool.queue");
    return new QueueSettings(c.getInt("window"), c.getDuration("lookup-timeout"), c.getDuration("closed-linger"));
  }
}
