package org.clusterpool.exercises.wordcount;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.report.Figures;

/**
 * Every word's count against the generated text's: counts lost or added, words miscounted, words
 * invented.
 */
final class WordCountCheck {
  private WordCountCheck() {}

  static Verdict check(Corpus corpus, Map<String, Long> counted) {
    if (counted == null) return Verdict.broken(0, "frequencies() returned null");
    long total = 0;
    long miscounted = 0;
    Set<String> known = new HashSet<>();
    for (int rank = 0; rank < corpus.vocabularySize(); rank++) {
      String word = corpus.vocabularyWord(rank);
      known.add(word);
      Long got = counted.get(word);
      long value = got == null ? 0 : got;
      total += value;
      if (value != corpus.count(rank)) miscounted++;
    }
    long invented = 0;
    for (Map.Entry<String, Long> entry : counted.entrySet()) {
      if (!known.contains(entry.getKey()) && entry.getValue() != null && entry.getValue() != 0) {
        invented++;
        total += entry.getValue();
      }
    }
    if (miscounted == 0 && invented == 0) {
      return Verdict.holds(
          Figures.count(corpus.words(), "words")
              + ", "
              + Figures.count(corpus.distinct())
              + " distinct, every count exact");
    }
    List<String> broken = new ArrayList<>();
    long lost = corpus.words() - total;
    String tally = Figures.count(total) + " of " + Figures.count(corpus.words());
    if (lost > 0) broken.add("lost " + Figures.count(lost, "counts") + " (counted " + tally + ")");
    if (lost < 0) broken.add("counted " + Figures.count(-lost) + " too many (" + tally + ")");
    if (miscounted > 0) broken.add(Figures.count(miscounted, "words") + " miscounted");
    if (invented > 0) {
      broken.add(
          Figures.count(invented, "words")
              + " counted that "
              + (invented == 1 ? "is" : "are")
              + " not in the text");
    }
    return Verdict.broken(
        lost != 0 ? Math.abs(lost) : miscounted + invented, String.join("; ", broken));
  }
}
