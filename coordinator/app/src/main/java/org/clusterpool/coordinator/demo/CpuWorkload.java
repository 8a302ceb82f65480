package org.clusterpool.coordinator.demo;

import java.util.Locale;

/**
 * How much cpu work a comparison does, sized from what was measured so that the fixed costs are
 * small beside it. A job on worker JVMs pays a round trip (the inputs out, the results back) and
 * ends when its last input ends, so the work must be long beside the round trip, and made of many
 * inputs, each short beside the whole: then neither the round trip nor the last input left alone on
 * one worker weighs more than {@link #FIXED_SHARE} of the time. Below a floor, a run is at the
 * mercy of the scheduler (a 10 ms hiccup is 1% of a second); above a ceiling, the demo would
 * outlast a class's patience.
 *
 * @param n the argument of each fib input
 * @param inputs how many inputs
 * @param perInputSeconds what one input costs on one warm thread
 * @param oneThreadSeconds the expected time on one thread: {@code inputs * perInputSeconds}
 * @param roundTripSeconds one job's round trip to the worker JVMs, measured warm
 * @param capped the ceiling kept the work smaller than the fixed costs asked for
 */
record CpuWorkload(
    long n,
    int inputs,
    double perInputSeconds,
    double oneThreadSeconds,
    double roundTripSeconds,
    boolean capped) {

  /** The most that a fixed cost may weigh beside the work. */
  static final double FIXED_SHARE = 0.03;

  /**
   * How long the work on one thread should last: at least {@code floor}, at most {@code ceiling}
   * seconds.
   */
  record Bounds(double floor, double ceiling) {}

  /**
   * Sizes the work: {@code parallel} ways share it, each input costs {@code perInputSeconds}, a
   * job's round trip {@code roundTripSeconds}.
   */
  static CpuWorkload size(
      long n, double perInputSeconds, double roundTripSeconds, int parallel, Bounds bounds) {
    if (perInputSeconds <= 0)
      throw new IllegalArgumentException("an input must cost something, got " + perInputSeconds);
    double forRoundTrip = roundTripSeconds / FIXED_SHARE;
    // the last input may end alone on one of the parallel ways: a share of one way's part at most
    double forLastInput = perInputSeconds * parallel / FIXED_SHARE;
    double wanted = Math.max(bounds.floor(), Math.max(forRoundTrip, forLastInput));
    double seconds = Math.min(wanted, bounds.ceiling());
    int inputs = (int) Math.max(parallel, Math.ceil(seconds / perInputSeconds));
    return new CpuWorkload(
        n,
        inputs,
        perInputSeconds,
        inputs * perInputSeconds,
        roundTripSeconds,
        wanted > bounds.ceiling());
  }

  /** What the round trip weighs beside the work on one thread. */
  double roundTripShare() {
    return roundTripSeconds / oneThreadSeconds;
  }

  String describe() {
    return String.format(Locale.ROOT, "%d x fib(%d)", inputs, n);
  }
}
