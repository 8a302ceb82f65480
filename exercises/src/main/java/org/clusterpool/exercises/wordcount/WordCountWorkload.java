package org.clusterpool.exercises.wordcount;

import java.util.Map;
import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.harness.Workload;

/**
 * Thread {@code t} counts chunks t, t + threads, t + 2 threads...; the frequencies must match the
 * text's.
 */
final class WordCountWorkload implements Workload<WordCounter, Map<String, Long>> {
  private final WordCountParameters parameters;
  private final Corpus corpus;

  WordCountWorkload(WordCountParameters parameters, Corpus corpus) {
    this.parameters = parameters;
    this.corpus = corpus;
  }

  @Override
  public String unit() {
    return "words";
  }

  @Override
  public long operations() {
    return corpus.words();
  }

  @Override
  public int clients() {
    return parameters.threads();
  }

  @Override
  public String clientName(int client) {
    return "counter-" + client;
  }

  @Override
  public long calls(int client) {
    int chunks = corpus.chunks().size();
    return (chunks - client + parameters.threads() - 1) / parameters.threads();
  }

  @Override
  public void open(WordCounter counter) {
    counter.open(parameters.threads());
  }

  @Override
  public long operate(WordCounter counter, int client, long call) throws InterruptedException {
    int chunk = Math.toIntExact(client + call * parameters.threads());
    counter.count(client, corpus.chunks().get(chunk));
    return corpus.wordsIn(chunk);
  }

  @Override
  public Map<String, Long> finish(WordCounter counter) throws InterruptedException {
    return counter.frequencies();
  }

  @Override
  public Verdict check(Map<String, Long> counted) {
    return WordCountCheck.check(corpus, counted);
  }
}
