package org.clusterpool.coordinator.bench;

import java.util.Arrays;

/** Order statistics of measured samples: the machine is shared and noisy, so medians, not means. */
final class Samples {
  private Samples() {}

  static double median(double[] samples) {
    return percentile(samples, 0.5);
  }

  static double percentile(double[] samples, double p) {
    if (samples.length == 0) throw new IllegalArgumentException("no samples");
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    int index = (int) Math.min(sorted.length - 1, Math.floor(p * sorted.length));
    return sorted[index];
  }
}
