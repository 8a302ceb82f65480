package org.clusterpool.coordinator.demo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One way of doing the work, timed in every round: the best round is its figure (a noisy neighbour
 * slows a round, never speeds it up), and how far the rounds lie apart is evidence of that noise.
 */
record Repeats(String how, List<Double> seconds) {

  Repeats {
    seconds = List.copyOf(seconds);
    if (seconds.isEmpty()) throw new IllegalArgumentException("no rounds for " + how);
  }

  static Repeats of(String how, double... seconds) {
    List<Double> list = new ArrayList<>();
    for (double s : seconds) list.add(s);
    return new Repeats(how, list);
  }

  Repeats plus(double round) {
    List<Double> more = new ArrayList<>(seconds);
    more.add(round);
    return new Repeats(how, more);
  }

  Timing best() {
    return new Timing(how, Collections.min(seconds));
  }

  /** How much slower the slowest round was than the best: 0.05 for 5%. */
  double spread() {
    double best = Collections.min(seconds);
    return best <= 0 ? 0 : Collections.max(seconds) / best - 1;
  }

  int rounds() {
    return seconds.size();
  }
}
