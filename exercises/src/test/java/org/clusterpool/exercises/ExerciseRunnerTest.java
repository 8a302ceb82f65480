package org.clusterpool.exercises;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;
import org.clusterpool.exercises.harness.Verdict;
import org.clusterpool.exercises.harness.Workload;
import org.clusterpool.exercises.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order of runs, without timing: every warm-up first, then each implementation measured until
 * enough was measured.
 */
@Timeout(60)
class ExerciseRunnerTest {

  /** A solution that answers a number; the answer is right when it is 0. */
  interface Toy {
    long answer() throws Exception;
  }

  /** The problem: one client asks once; {@code size} only tells a warm-up from a measured run. */
  record Size(String label) {}

  private final List<String> made = new CopyOnWriteArrayList<>();

  private final class ToyExercise implements Exercise<Toy, Size> {
    @Override
    public String name() {
      return "toy";
    }

    @Override
    public String summary() {
      return "a toy";
    }

    @Override
    public Class<Toy> solutionType() {
      return Toy.class;
    }

    @Override
    public List<Implementation<Toy>> references() {
      return List.of();
    }

    @Override
    public Size warmUp(Size size) {
      return new Size("warm-up");
    }

    @Override
    public String describe(Size size) {
      return "one question";
    }

    @Override
    public List<String> findings(Size size, List<Measurement> rows) {
      return List.of("toy finding");
    }

    @Override
    public Workload<Toy, ?> workload(Size size) {
      return new Workload<Toy, Long>() {
        @Override
        public String unit() {
          return "answers";
        }

        @Override
        public long operations() {
          return 1;
        }

        @Override
        public int clients() {
          return 1;
        }

        @Override
        public String clientName(int client) {
          return "asker";
        }

        @Override
        public long calls(int client) {
          return 1;
        }

        @Override
        public void open(Toy toy) {
          made.add(size.label());
        }

        @Override
        public long operate(Toy toy, int client, long call) {
          return 1;
        }

        @Override
        public Long finish(Toy toy) throws Exception {
          return toy.answer();
        }

        @Override
        public Verdict check(Long answer) {
          return answer == 0
              ? Verdict.holds("answered 0")
              : Verdict.broken(answer, "answered " + answer);
        }
      };
    }
  }

  private Implementation<Toy> named(String name, Toy toy) {
    return Implementation.reference(
        name,
        "test",
        () -> {
          made.add(name);
          return toy;
        });
  }

  @Test
  void everyImplementationWarmsUpBeforeAnyIsMeasured() {
    RunOptions options = new RunOptions(Duration.ofSeconds(10), true, 1, Duration.ZERO);
    Report report =
        ExerciseRunner.run(
            new ToyExercise(),
            new Size("measured"),
            List.of(named("a", () -> 0), named("b", () -> 0)),
            options,
            what -> {});
    assertEquals(List.of("a", "warm-up", "b", "warm-up", "a", "measured", "b", "measured"), made);
    assertEquals(List.of("a", "b"), report.measurements().stream().map(Measurement::name).toList());
    assertTrue(report.findings().contains("toy finding"), report.findings().toString());
    assertTrue(report.heading().startsWith("toy: one question; "), report.heading());
  }

  @Test
  void aFastImplementationRunsUntilEnoughIsMeasured() {
    RunOptions options = new RunOptions(Duration.ofSeconds(10), false, 4, Duration.ofHours(1));
    Report report =
        ExerciseRunner.run(
            new ToyExercise(),
            new Size("measured"),
            List.of(named("a", () -> 0)),
            options,
            what -> {});
    assertEquals(List.of("a", "measured", "a", "measured", "a", "measured", "a", "measured"), made);
    assertTrue(report.measurements().get(0).correct());
    assertTrue(
        report
            .heading()
            .contains("\nwall time: the median of 3 to 4 runs (4 while they take under"),
        report.heading());
    assertEquals(
        4, report.measurements().get(0).runNanos().size(), "every run is kept, for the noise");
  }

  @Test
  void evenALongRunIsRepeatedTheLeastNumberOfTimesSoThatItsNoiseIsKnown() {
    RunOptions options = new RunOptions(Duration.ofSeconds(10), false, 5, Duration.ZERO, 3);
    Report report =
        ExerciseRunner.run(
            new ToyExercise(),
            new Size("measured"),
            List.of(named("a", () -> 0)),
            options,
            what -> {});
    assertEquals(3, made.stream().filter("measured"::equals).count(), made.toString());
    Measurement row = report.measurements().get(0);
    assertEquals(3, row.runNanos().size());
    assertTrue(
        row.fastestRunNanos() <= row.wallNanos() && row.wallNanos() <= row.slowestRunNanos(),
        row.toString());
  }

  @Test
  void aWrongRunIsShownAtOnceEvenIfTheOthersWereRight() {
    AtomicInteger asked = new AtomicInteger();
    RunOptions options = new RunOptions(Duration.ofSeconds(10), false, 5, Duration.ofHours(1));
    Report report =
        ExerciseRunner.run(
            new ToyExercise(),
            new Size("measured"),
            List.of(named("flaky", () -> asked.incrementAndGet() == 2 ? 7 : 0)),
            options,
            what -> {});
    assertEquals(2, asked.get(), "no run after the wrong one");
    assertEquals(Verdict.broken(7, "answered 7"), report.measurements().get(0).verdict());
  }

  @Test
  void aWarmUpThatFailsIsTheRowAndNothingIsMeasured() {
    RunOptions options = new RunOptions(Duration.ofSeconds(10), true, 5, Duration.ofHours(1));
    Report report =
        ExerciseRunner.run(
            new ToyExercise(),
            new Size("measured"),
            List.of(
                named(
                    "broken",
                    () -> {
                      throw new IllegalStateException("no answer");
                    })),
            options,
            what -> {});
    Outcome outcome = report.measurements().get(0).outcome();
    assertEquals(Outcome.Kind.THREW, outcome.kind());
    assertEquals("threw after 1 answer (warm-up)", outcome.label());
    assertEquals(List.of("broken", "warm-up"), made);
  }
}
