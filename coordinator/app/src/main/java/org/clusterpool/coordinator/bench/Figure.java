package org.clusterpool.coordinator.bench;

import java.util.Locale;

/**
 * One measured number with its unit; {@code higherIsBetter} orders the comparison with its peers.
 */
record Figure(double value, Unit unit) {

  enum Unit {
    PER_SECOND("/s", true),
    MICROS("µs", false),
    SECONDS("s", false),
    TIMES("x", true),
    MEGABYTES("MB", false);

    final String suffix;
    final boolean higherIsBetter;

    Unit(String suffix, boolean higherIsBetter) {
      this.suffix = suffix;
      this.higherIsBetter = higherIsBetter;
    }
  }

  static Figure perSecond(double count, double seconds) {
    return new Figure(count / seconds, Unit.PER_SECOND);
  }

  static Figure micros(double seconds) {
    return new Figure(seconds * 1e6, Unit.MICROS);
  }

  static Figure seconds(double seconds) {
    return new Figure(seconds, Unit.SECONDS);
  }

  static Figure times(double ratio) {
    return new Figure(ratio, Unit.TIMES);
  }

  static Figure megabytes(double mb) {
    return new Figure(mb, Unit.MEGABYTES);
  }

  /** How many times better this figure is than {@code other}. */
  double timesBetterThan(Figure other) {
    return unit.higherIsBetter ? value / other.value : other.value / value;
  }

  @Override
  public String toString() {
    return switch (unit) {
      case PER_SECOND -> human(value) + "/s";
      case MICROS -> String.format(Locale.ROOT, "%.0f µs", value);
      case SECONDS -> String.format(Locale.ROOT, value < 10 ? "%.3f s" : "%.1f s", value);
      case TIMES -> String.format(Locale.ROOT, "%.2fx", value);
      case MEGABYTES -> String.format(Locale.ROOT, "%.0f MB", value);
    };
  }

  private static String human(double v) {
    if (v >= 1e6) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
    if (v >= 1e3) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
