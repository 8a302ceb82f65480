package org.clusterpool.exercises.buffer;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.report.Figures;

/**
 * The buffer's invariants: every item taken exactly once (none twice, none lost, nothing that was
 * never put) and never more than the capacity waiting at once.
 */
final class BufferCheck {
  private BufferCheck() {}

  static Verdict check(Deliveries deliveries) {
    long items = deliveries.items();
    // 0: never taken, 1: taken once, 2: taken more than once (counting further would only overflow)
    byte[] times = new byte[Math.toIntExact(items)];
    long duplicated = 0;
    long foreign = 0;
    for (long[] row : deliveries.taken()) {
      for (long item : row) {
        if (item < 0 || item >= items) {
          foreign++;
          continue;
        }
        int i = (int) item;
        if (times[i] > 0) duplicated++;
        if (times[i] < 2) times[i]++;
      }
    }
    long missing = 0;
    for (byte t : times) if (t == 0) missing++;
    long excess = deliveries.mostWaiting() - deliveries.capacity();
    if (duplicated == 0 && missing == 0 && foreign == 0 && excess <= 0) {
      return Verdict.holds(
          "all "
              + Figures.count(items, "items")
              + " taken once, at most "
              + Figures.count(deliveries.mostWaiting())
              + " of "
              + Figures.count(deliveries.capacity())
              + " seen waiting");
    }
    List<String> broken = new ArrayList<>();
    if (duplicated > 0) broken.add(Figures.count(duplicated, "items") + " duplicated");
    if (missing > 0) broken.add(Figures.count(missing, "items") + " never taken");
    if (foreign > 0) broken.add(Figures.count(foreign, "items") + " taken that nobody put");
    if (excess > 0) {
      broken.add(
          Figures.count(deliveries.mostWaiting())
              + " items waiting at once, capacity "
              + Figures.count(deliveries.capacity()));
    }
    long figure = duplicated + missing + foreign > 0 ? duplicated + missing + foreign : excess;
    return Verdict.broken(figure, String.join("; ", broken));
  }
}
