package org.clusterpool.exercises.wordcount;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusterpool.exercises.Exercise;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Workload;
import org.clusterpool.exercises.report.Figures;
import org.clusterpool.exercises.report.Findings;

/**
 * {@code wordcount}: word frequencies of a generated text, in one shared map or by a pool map and a
 * merge.
 */
public final class WordCountExercise implements Exercise<WordCounter, WordCountParameters> {

  static final String SHARED_MAP = "shared-map";
  static final String SHARED_MAP_GET_PUT = "shared-map-get-put";
  static final String POOL_MAP = "pool-map";

  private static final List<Implementation<WordCounter>> REFERENCES =
      List.of(
          Implementation.reference(
              SHARED_MAP,
              "one ConcurrentHashMap for all threads, merge(word, 1, sum)",
              SharedMapWordCounter::new),
          Implementation.reference(
              SHARED_MAP_GET_PUT,
              "the same map, get then put: loses counts",
              SharedMapGetPutWordCounter::new),
          Implementation.reference(
              POOL_MAP,
              "chunks to one worker actor per core, a private map each, merged at the end",
              PoolMapWordCounter::new));

  /**
   * The texts of the last sizes asked for: the warm-up's and the measured run's, generated once
   * each.
   */
  private final Map<WordCountParameters, Corpus> corpora =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<WordCountParameters, Corpus> eldest) {
          return size() > 2;
        }
      };

  @Override
  public String name() {
    return "wordcount";
  }

  @Override
  public String summary() {
    return "word frequencies of a generated text: one shared ConcurrentHashMap, or a pool map over"
        + " chunks and a merge";
  }

  @Override
  public Class<WordCounter> solutionType() {
    return WordCounter.class;
  }

  @Override
  public List<Implementation<WordCounter>> references() {
    return REFERENCES;
  }

  @Override
  public Workload<WordCounter, ?> workload(WordCountParameters parameters) {
    return new WordCountWorkload(parameters, corpus(parameters));
  }

  synchronized Corpus corpus(WordCountParameters parameters) {
    return corpora.computeIfAbsent(parameters, Corpus::generate);
  }

  @Override
  public WordCountParameters warmUp(WordCountParameters parameters) {
    return new WordCountParameters(
        parameters.threads(),
        Math.max(1, Math.min(parameters.words() / 10, 200_000)),
        parameters.vocabulary(),
        parameters.seed() + 1);
  }

  @Override
  public String describe(WordCountParameters parameters) {
    return parameters.threads()
        + " threads, "
        + Figures.count(parameters.words(), "words")
        + " drawn from "
        + Figures.count(parameters.vocabulary())
        + ", in chunks of "
        + Figures.count(WordCountParameters.CHUNK_WORDS)
        + " (an operation is one word counted)";
  }

  @Override
  public List<String> findings(WordCountParameters parameters, List<Measurement> rows) {
    List<String> lines = new ArrayList<>();
    Corpus corpus = corpus(parameters);
    lines.add(
        "The most frequent word, '"
            + corpus.vocabularyWord(0)
            + "', is "
            + Figures.percent((double) corpus.count(0) / corpus.words())
            + " of the text: threads that share one map keep meeting on its entry.");
    Findings.row(rows, SHARED_MAP_GET_PUT)
        .filter(r -> r.outcome().finished())
        .ifPresent(
            r ->
                lines.add(
                    r.verdict().correct()
                        ? SHARED_MAP_GET_PUT
                            + " lost nothing this time: it needs two threads on the same word"
                            + " between a get and a put, which is up to the scheduler; the tests"
                            + " force it every time."
                        : SHARED_MAP_GET_PUT
                            + " lost counts because a ConcurrentHashMap makes each get and each put"
                            + " safe, not the two together: two threads got the same count and both"
                            + " put it back plus one. merge makes read-add-write one step."));
    Optional<Measurement> shared = Findings.correct(rows, SHARED_MAP);
    Optional<Measurement> pool = Findings.correct(rows, POOL_MAP);
    if (shared.isPresent() && pool.isPresent()) {
      Findings.Speed speed = Findings.speed(pool.get(), shared.get());
      boolean faster = speed == Findings.Speed.FASTER;
      lines.add(
          POOL_MAP
              + " was "
              + Findings.relative(pool.get(), shared.get())
              + (speed == Findings.Speed.UNTOLD
                  ? "."
                  : faster
                      ? ": each worker counted into a map of its own, with no lock and nobody to"
                          + " meet on the frequent words; the maps met once, at the end, one"
                          + " message each."
                      : ": the chunks and the maps travel in messages, and the final merge runs on"
                          + " one thread."));
    }
    return lines;
  }
}
