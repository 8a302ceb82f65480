package org.clusterpool.exercises.philosophers;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.report.Figures;

/**
 * The table's invariants: no two neighbours eating at once, and exactly one meal eaten per call to
 * {@code dine}.
 */
final class DinnerCheck {
  private DinnerCheck() {}

  static Verdict check(Dinner dinner, long mealsEach) {
    List<String> broken = new ArrayList<>();
    long figure = dinner.overlaps();
    if (dinner.overlaps() > 0) {
      broken.add(
          Figures.count(dinner.overlaps(), "fork collisions")
              + ": neighbours ate at once with a fork between them");
    }
    for (int p = 0; p < dinner.dined().length; p++) {
      long dined = dinner.dined()[p];
      long eaten = dinner.eaten()[p];
      if (dined != eaten) {
        broken.add(
            "philosopher "
                + p
                + " returned from dine "
                + Figures.count(dined, "times")
                + " but ate "
                + Figures.count(eaten, "times"));
        figure += Math.abs(dined - eaten);
      }
    }
    if (broken.isEmpty()) {
      return Verdict.holds(
          "no two neighbours ate at once, " + Figures.count(mealsEach, "meals") + " each");
    }
    return Verdict.broken(figure, String.join("; ", broken));
  }
}
