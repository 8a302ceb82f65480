package org.clusterpool.coordinator.input;

import com.typesafe.config.Config;

/**
 * The limits of {@code clusterpool.input}: listed inputs (or calls) in one job, characters in one
 * input (a line of a file is refused as soon as it passes them, never read whole), and bytes of
 * listed text in all. Ranges are not listed, so neither count bounds them.
 */
public record InputLimits(int maxInputs, int maxTextLength, long maxInlineBytes) {

  public InputLimits {
    if (maxInputs < 1 || maxTextLength < 1 || maxInlineBytes < 1) {
      throw new IllegalArgumentException(
          "clusterpool.input limits must be positive, got "
              + maxInputs
              + ", "
              + maxTextLength
              + ", "
              + maxInlineBytes);
    }
  }

  public static InputLimits fromConfig(Config config) {
    return new InputLimits(
        config.getInt("clusterpool.input.max-inline-inputs"),
        config.getInt("clusterpool.input.max-text-length"),
        config.getBytes("clusterpool.input.max-inline-bytes"));
  }
}
