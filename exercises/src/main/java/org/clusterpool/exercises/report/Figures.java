package org.clusterpool.exercises.report;

import java.util.Locale;

/**
 * How numbers read in tables and findings: grouped counts, durations and rates with a unit, ratios.
 */
public final class Figures {
  private Figures() {}

  /** {@code 1,000,000}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code 1 transfer}, {@code 1,000 transfers}: a count and its unit, given in the plural. */
  public static String count(long n, String plural) {
    String unit =
        n == 1 && plural.endsWith("s") ? plural.substring(0, plural.length() - 1) : plural;
    return count(n) + " " + unit;
  }

  /** {@code 850 µs}, {@code 12.3 ms}, {@code 1.25 s}. */
  public static String duration(long nanos) {
    if (nanos < 1_000_000) return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
    if (nanos < 10_000_000) return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    if (nanos < 1_000_000_000) return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  /** {@code 12.3 M/s}, {@code 456.0 k/s}, {@code 12 /s}. */
  public static String rate(double perSecond) {
    if (perSecond >= 1e9) return String.format(Locale.ROOT, "%.2f G/s", perSecond / 1e9);
    if (perSecond >= 1e6) return String.format(Locale.ROOT, "%.1f M/s", perSecond / 1e6);
    if (perSecond >= 1e3) return String.format(Locale.ROOT, "%.1f k/s", perSecond / 1e3);
    return String.format(Locale.ROOT, "%.0f /s", perSecond);
  }

  /** {@code 1.00x}, {@code 12.5x}, {@code 230x}: as many digits as tell the ratios apart. */
  public static String times(double ratio) {
    if (ratio < 10) return String.format(Locale.ROOT, "%.2fx", ratio);
    if (ratio < 100) return String.format(Locale.ROOT, "%.1fx", ratio);
    return String.format(Locale.ROOT, "%.0fx", ratio);
  }

  /** {@code 48.8%}. */
  public static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }
}
