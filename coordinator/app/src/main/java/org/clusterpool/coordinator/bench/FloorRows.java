package org.clusterpool.coordinator.bench;

import java.util.Locale;

/**
 * Rows of the transport's floor, placed right under the cross-JVM row they belong to: the floor's
 * figure in the first column, and in the notes how much of the row above it accounts for, and what
 * clusterpool adds to it.
 */
final class FloorRows {
  private FloorRows() {}

  /**
   * What a row that goes through the floor's own transport says when it comes out faster anyway.
   */
  static final String SAME_TRANSPORT = "a quieter moment: it goes through this transport too";

  /**
   * {@code how}: why the row above can take less than this floor, should it ("it batches many tasks
   * into each message"); a row that goes through the same transport only does so in a quieter
   * moment.
   */
  static Row row(String what, Figure floor, Figure ours, String how) {
    return new Row("  floor: " + what, floor, null, null, share(floor, ours, how));
  }

  /**
   * The floor's part of {@code ours}, per round trip: both in µs, or both in round trips per
   * second.
   */
  static String share(Figure floor, Figure ours, String how) {
    double floorMicros = microsPerRoundTrip(floor);
    double oursMicros = microsPerRoundTrip(ours);
    if (floorMicros <= oursMicros) {
      return String.format(
          Locale.ROOT,
          "no clusterpool code: %s of the row above's %s a round trip (%.0f%%); clusterpool adds"
              + " %s",
          micros(floorMicros),
          micros(oursMicros),
          100 * floorMicros / oursMicros,
          micros(oursMicros - floorMicros));
    }
    return String.format(
        Locale.ROOT,
        "no clusterpool code: %s a round trip; the row above takes %s, %.1fx less (%s)",
        micros(floorMicros),
        micros(oursMicros),
        floorMicros / oursMicros,
        how);
  }

  private static double microsPerRoundTrip(Figure figure) {
    return switch (figure.unit()) {
      case MICROS -> figure.value();
      case PER_SECOND -> 1e6 / figure.value();
      default -> throw new IllegalArgumentException("not a round trip: " + figure);
    };
  }

  private static String micros(double micros) {
    return String.format(Locale.ROOT, micros < 10 ? "%.1f µs" : "%.0f µs", micros);
  }
}
