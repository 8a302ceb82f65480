package org.clusterpool.node.pipe;

import com.typesafe.config.Config;

/** {@code clusterpool.pipe} from the config: {@code buffer}, the messages one end holds unread before sends to it wait. */
public record PipeSettings(int buffer) {

  public PipeSettings {
    if (buffer < 1) throw new IllegalArgumentException("clusterpool.pipe.buffer must be at least 1, got " + buffer);
  }

  public static PipeSettings fromConfig(Config config) {
    return new PipeSettings(config.getInt("clusterpool.pipe.buffer"));
  }
}
