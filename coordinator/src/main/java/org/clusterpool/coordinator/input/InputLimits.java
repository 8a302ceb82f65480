package org.clusterpool.coordinator.input;

import com.typesafe.config.Config;

/**
 * The limits of {@code clusterpool.input}: listed inputs (or calls) in one job, and characters in one input.
 * Ranges are not listed, so {@code maxInputs} does not bound them.
 */
public record InputLimits(int maxInputs, int maxTextLength) {

  public static InputLimits fromConfig(Config config) {
    return new InputLimits(
        config.getInt("clusterpool.input.max-inline-inputs"), config.getInt("clusterpool.input.max-text-length"));
  }
}
