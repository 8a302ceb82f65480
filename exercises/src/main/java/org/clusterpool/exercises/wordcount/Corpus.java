package org.clusterpool.exercises.wordcount;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated text whose word counts are known exactly: words drawn from a vocabulary with a skewed
 * distribution (like a real text, a few words are everywhere, so threads that share a map fight
 * over their entries), cut into chunks of {@link WordCountParameters#CHUNK_WORDS} words.
 */
final class Corpus {
  /**
   * Two letters each, so that a word made of them reads back one way only, and two numbers never
   * make the same word.
   */
  private static final String[] SYLLABLES = {
    "ba", "be", "bi", "bo", "da", "de", "di", "do", "ka", "ke", "ki", "ko", "la", "le", "li", "lo"
  };

  private final String[] vocabulary;
  private final long[] counts;
  private final List<String> chunks;
  private final int[] chunkWords;
  private final long words;

  private Corpus(
      String[] vocabulary, long[] counts, List<String> chunks, int[] chunkWords, long words) {
    this.vocabulary = vocabulary;
    this.counts = counts;
    this.chunks = chunks;
    this.chunkWords = chunkWords;
    this.words = words;
  }

  static Corpus generate(WordCountParameters parameters) {
    String[] vocabulary = new String[parameters.vocabulary()];
    for (int w = 0; w < vocabulary.length; w++) vocabulary[w] = word(w);
    long[] counts = new long[vocabulary.length];
    SplittableRandom random = new SplittableRandom(parameters.seed());
    int chunkCount =
        Math.toIntExact(
            (parameters.words() + WordCountParameters.CHUNK_WORDS - 1)
                / WordCountParameters.CHUNK_WORDS);
    List<String> chunks = new ArrayList<>(chunkCount);
    int[] chunkWords = new int[chunkCount];
    StringBuilder text = new StringBuilder();
    long left = parameters.words();
    for (int c = 0; c < chunkCount; c++) {
      int n = (int) Math.min(left, WordCountParameters.CHUNK_WORDS);
      text.setLength(0);
      for (int i = 0; i < n; i++) {
        // u^3 piles the draws up near rank 0: the first words are the "the, of, and" of this text
        double u = random.nextDouble();
        int rank = (int) (vocabulary.length * u * u * u);
        counts[rank]++;
        if (i > 0) text.append(' ');
        text.append(vocabulary[rank]);
      }
      chunks.add(text.toString());
      chunkWords[c] = n;
      left -= n;
    }
    return new Corpus(vocabulary, counts, List.copyOf(chunks), chunkWords, parameters.words());
  }

  /** Word number {@code n}: its base-16 digits as syllables, at least two. */
  static String word(int n) {
    StringBuilder word = new StringBuilder();
    int rest = n + SYLLABLES.length;
    while (rest > 0) {
      word.insert(0, SYLLABLES[rest % SYLLABLES.length]);
      rest /= SYLLABLES.length;
    }
    return word.toString();
  }

  List<String> chunks() {
    return chunks;
  }

  int wordsIn(int chunk) {
    return chunkWords[chunk];
  }

  long words() {
    return words;
  }

  int vocabularySize() {
    return vocabulary.length;
  }

  /** The word of rank {@code rank}: rank 0 is the most frequent. */
  String vocabularyWord(int rank) {
    return vocabulary[rank];
  }

  long count(int rank) {
    return counts[rank];
  }

  /** How many distinct words occur at least once. */
  long distinct() {
    long distinct = 0;
    for (long c : counts) if (c > 0) distinct++;
    return distinct;
  }
}
