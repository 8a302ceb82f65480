package org.clusterpool.exercises.wordcount;

/**
 * The word count problem's size.
 *
 * @param threads threads counting at once
 * @param words words in the generated text
 * @param vocabulary distinct words the text draws from (a few are very frequent, most are rare)
 * @param seed where the generated text starts: the same seed gives the same text
 */
public record WordCountParameters(int threads, long words, int vocabulary, long seed) {

  /** Words per chunk: what one call to {@code count} gets. */
  public static final int CHUNK_WORDS = 1_000;

  public static final int MAX_THREADS = 64;
  public static final long MAX_WORDS = 50_000_000L;
  public static final int MAX_VOCABULARY = 1_000_000;

  public static WordCountParameters defaults() {
    return new WordCountParameters(4, 2_000_000, 10_000, 1);
  }

  public WordCountParameters {
    if (threads < 1 || threads > MAX_THREADS) {
      throw new IllegalArgumentException(
          "threads must be between 1 and " + MAX_THREADS + ", got " + threads);
    }
    if (words < 1 || words > MAX_WORDS) {
      throw new IllegalArgumentException(
          "words must be between 1 and " + MAX_WORDS + ", got " + words);
    }
    if (vocabulary < 1 || vocabulary > MAX_VOCABULARY) {
      throw new IllegalArgumentException(
          "vocabulary must be between 1 and " + MAX_VOCABULARY + ", got " + vocabulary);
    }
  }
}
