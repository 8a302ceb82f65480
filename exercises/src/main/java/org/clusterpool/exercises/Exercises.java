package org.clusterpool.exercises;

import java.util.List;
import java.util.Optional;
import org.clusterpool.exercises.bank.BankExercise;
import org.clusterpool.exercises.buffer.BufferExercise;
import org.clusterpool.exercises.counter.CounterExercise;
import org.clusterpool.exercises.philosophers.PhilosophersExercise;
import org.clusterpool.exercises.wordcount.WordCountExercise;

/** Every exercise, in the order of the statements in {@code exercises/README.md}. */
public final class Exercises {
  private Exercises() {}

  public static final CounterExercise COUNTER = new CounterExercise();
  public static final BankExercise BANK = new BankExercise();
  public static final BufferExercise BUFFER = new BufferExercise();
  public static final PhilosophersExercise PHILOSOPHERS = new PhilosophersExercise();
  public static final WordCountExercise WORDCOUNT = new WordCountExercise();

  private static final List<Exercise<?, ?>> ALL =
      List.of(COUNTER, BANK, BUFFER, PHILOSOPHERS, WORDCOUNT);

  public static List<Exercise<?, ?>> all() {
    return ALL;
  }

  public static Optional<Exercise<?, ?>> find(String name) {
    return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return ALL.stream().map(Exercise::name).toList();
  }
}
