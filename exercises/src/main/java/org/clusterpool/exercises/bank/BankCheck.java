package org.clusterpool.exercises.bank;

import java.util.ArrayList;
import java.util.List;
import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.report.Figures;

/**
 * The bank's invariants on the final balances: the total is the opening total (no money created or
 * destroyed), no balance is negative, and every balance is what the transfers reported as done make
 * it.
 */
final class BankCheck {
  private BankCheck() {}

  static Verdict check(long[] opening, long[] balances, long[] expected, long refused) {
    if (balances == null) return Verdict.broken(0, "balances() returned null");
    if (balances.length != opening.length) {
      return Verdict.broken(
          0,
          "balances() returned " + balances.length + " accounts, the bank has " + opening.length);
    }
    long openingTotal = sum(opening);
    long created = sum(balances) - openingTotal;
    long negative = 0;
    long lowest = Long.MAX_VALUE;
    long disagree = 0;
    for (int a = 0; a < balances.length; a++) {
      if (balances[a] < 0) negative++;
      lowest = Math.min(lowest, balances[a]);
      if (balances[a] != expected[a]) disagree++;
    }
    if (created == 0 && negative == 0 && disagree == 0) {
      return Verdict.holds(
          "total "
              + Figures.count(openingTotal)
              + " kept, lowest balance "
              + Figures.count(lowest)
              + ", "
              + Figures.count(refused)
              + " refused");
    }
    List<String> broken = new ArrayList<>();
    if (created > 0) broken.add("money created: +" + Figures.count(created));
    if (created < 0) broken.add("money destroyed: " + Figures.count(created));
    if (negative > 0)
      broken.add(
          Figures.count(negative, "accounts")
              + " below zero (lowest "
              + Figures.count(lowest)
              + ")");
    if (disagree > 0) {
      broken.add(
          Figures.count(disagree, "balances")
              + (disagree == 1 ? " disagrees" : " disagree")
              + " with the transfers reported done");
    }
    long figure = created != 0 ? Math.abs(created) : negative != 0 ? negative : disagree;
    return Verdict.broken(figure, String.join("; ", broken));
  }

  private static long sum(long[] values) {
    long sum = 0;
    for (long v : values) sum += v;
    return sum;
  }
}
