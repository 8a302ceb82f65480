package org.clusterpool.exercises.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.clusterpool.exercises.harness.Harness;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;
import org.clusterpool.exercises.harness.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The word counters through the real harness: the correct ones are exact with many threads on a
 * tiny vocabulary (every thread on the same entries), and get-then-put loses counts on every run
 * because the test makes both threads get before either puts.
 */
@Timeout(60)
class WordCountTest {

  private static final Duration LIMIT = Duration.ofSeconds(30);

  static List<Implementation<WordCounter>> correctReferences() {
    return new WordCountExercise()
        .references().stream()
            .filter(i -> !i.name().equals(WordCountExercise.SHARED_MAP_GET_PUT))
            .toList();
  }

  @ParameterizedTest
  @MethodSource("correctReferences")
  void countsEveryWordExactlyWithEightThreadsOnFiftyWords(Implementation<WordCounter> reference) {
    WordCountParameters parameters = new WordCountParameters(8, 100_500, 50, 3);
    Measurement m =
        Harness.measure(
            reference, new WordCountWorkload(parameters, Corpus.generate(parameters)), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertTrue(m.correct(), m.verdict().evidence());
    assertEquals("100,500 words, 50 distinct, every count exact", m.verdict().evidence());
    assertEquals(100_500, m.operations());
  }

  /** Both threads get the count of a word, then both put it back plus one. */
  static final class BothGetBeforeEitherPuts extends SharedMapGetPutWordCounter {
    private final CyclicBarrier bothGot = new CyclicBarrier(2);

    @Override
    void afterGet(int thread) {
      try {
        bothGot.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (BrokenBarrierException | TimeoutException e) {
        throw new IllegalStateException("the other thread never came", e);
      }
    }
  }

  @Test
  void getThenPutLosesOneCountEachTimeBothThreadsGetFirst() {
    // one word in the vocabulary, one chunk of 1,000 words per thread: 1,000 rounds, each counting
    // 1 of 2
    WordCountParameters parameters = new WordCountParameters(2, 2_000, 1, 1);
    Implementation<WordCounter> forced =
        Implementation.reference(
            WordCountExercise.SHARED_MAP_GET_PUT, "forced", BothGetBeforeEitherPuts::new);
    Measurement m =
        Harness.measure(
            forced, new WordCountWorkload(parameters, Corpus.generate(parameters)), LIMIT);
    assertEquals(Outcome.Kind.FINISHED, m.outcome().kind(), m.outcome().toString());
    assertFalse(m.correct());
    assertEquals(
        Verdict.broken(1_000, "lost 1,000 counts (counted 1,000 of 2,000); 1 word miscounted"),
        m.verdict());
  }

  @Test
  void theGeneratedTextHasTheCountsItClaims() {
    WordCountParameters parameters = new WordCountParameters(1, 12_345, 300, 9);
    Corpus corpus = Corpus.generate(parameters);
    Map<String, Long> counted = new HashMap<>();
    long words = 0;
    for (int c = 0; c < corpus.chunks().size(); c++) {
      List<String> chunkWords = new ArrayList<>();
      Words.each(corpus.chunks().get(c), chunkWords::add);
      assertEquals(corpus.wordsIn(c), chunkWords.size());
      for (String word : chunkWords) counted.merge(word, 1L, Long::sum);
      words += chunkWords.size();
    }
    assertEquals(12_345, words);
    assertEquals(13, corpus.chunks().size());
    assertEquals(
        Verdict.holds("12,345 words, " + corpus.distinct() + " distinct, every count exact"),
        WordCountCheck.check(corpus, counted));
    assertTrue(corpus.count(0) > corpus.count(299), "the first words are the frequent ones");
  }

  @Test
  void everyNumberMakesADifferentWord() {
    Set<String> words = new HashSet<>();
    for (int n = 0; n < 100_000; n++) assertTrue(words.add(Corpus.word(n)), Corpus.word(n));
    assertEquals("beba", Corpus.word(0));
  }

  @Test
  void theCheckerNamesLostExtraAndInventedCounts() {
    WordCountParameters parameters = new WordCountParameters(1, 10, 2, 1);
    Corpus corpus = Corpus.generate(parameters);
    Map<String, Long> exact = new HashMap<>();
    for (int rank = 0; rank < 2; rank++)
      if (corpus.count(rank) > 0) exact.put(corpus.vocabularyWord(rank), corpus.count(rank));

    Map<String, Long> lost = new HashMap<>(exact);
    lost.merge(corpus.vocabularyWord(0), -3L, Long::sum);
    assertEquals(
        Verdict.broken(3, "lost 3 counts (counted 7 of 10); 1 word miscounted"),
        WordCountCheck.check(corpus, lost));

    Map<String, Long> extra = new HashMap<>(exact);
    extra.merge(corpus.vocabularyWord(0), 2L, Long::sum);
    assertEquals(
        "counted 2 too many (12 of 10); 1 word miscounted",
        WordCountCheck.check(corpus, extra).evidence());

    Map<String, Long> invented = new HashMap<>(exact);
    invented.put("zzz", 1L);
    assertEquals(
        "counted 1 too many (11 of 10); 1 word counted that is not in the text",
        WordCountCheck.check(corpus, invented).evidence());
    assertEquals("frequencies() returned null", WordCountCheck.check(corpus, null).evidence());
  }

  @Test
  void wordsAreCutAtSpaces() {
    List<String> words = new ArrayList<>();
    Words.each("a bb  ccc ", words::add);
    assertEquals(List.of("a", "bb", "ccc"), words);
  }
}
