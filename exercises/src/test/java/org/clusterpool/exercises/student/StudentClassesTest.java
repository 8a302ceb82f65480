package org.clusterpool.exercises.student;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusterpool.exercises.ExerciseRunner;
import org.clusterpool.exercises.Exercises;
import org.clusterpool.exercises.RunOptions;
import org.clusterpool.exercises.counter.Counter;
import org.clusterpool.exercises.counter.CounterParameters;
import org.clusterpool.exercises.harness.Implementation;
import org.clusterpool.exercises.harness.Measurement;
import org.clusterpool.exercises.harness.Outcome;
import org.clusterpool.exercises.report.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Students' classes, compiled here, loaded by name: the good one is checked and timed, each bad one
 * is one line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class StudentClassesTest {

  private Path root;
  private Path classes;

  private static final Map<String, String> SOURCES =
      Map.of(
          "com/example/MyCounter.java",
              """
              package com.example;
              import java.util.concurrent.atomic.AtomicLong;
              public class MyCounter implements org.clusterpool.exercises.counter.Counter {
                private final AtomicLong count = new AtomicLong();
                public void increment(int worker) { count.incrementAndGet(); }
                public long total() { return count.get(); }
              }
              """,
          "com/example/DoubleCounter.java",
              """
              package com.example;
              import java.util.concurrent.atomic.AtomicLong;
              public class DoubleCounter implements org.clusterpool.exercises.counter.Counter {
                private final AtomicLong count = new AtomicLong();
                public void increment(int worker) { count.addAndGet(2); }
                public long total() { return count.get(); }
              }
              """,
          "com/example/NotACounter.java",
              """
              package com.example;
              public class NotACounter implements Runnable { public void run() {} }
              """,
          "com/example/NeedsArguments.java",
              """
              package com.example;
              public class NeedsArguments implements org.clusterpool.exercises.counter.Counter {
                public NeedsArguments(int start) {}
                public void increment(int worker) {}
                public long total() { return 0; }
              }
              """,
          "com/example/ThrowsAtBirth.java",
              """
              package com.example;
              public class ThrowsAtBirth implements org.clusterpool.exercises.counter.Counter {
                public ThrowsAtBirth() { throw new IllegalStateException("not today"); }
                public void increment(int worker) {}
                public long total() { return 0; }
              }
              """,
          "com/example/AbstractCounter.java",
              """
              package com.example;
              public abstract class AbstractCounter implements org.clusterpool.exercises.counter.Counter {}
              """,
          "com/example/Sleeper.java",
              """
              package com.example;
              public class Sleeper implements org.clusterpool.exercises.counter.Counter {
                public Sleeper() {
                  try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException e) { }
                }
                public void increment(int worker) {}
                public long total() { return 0; }
              }
              """,
          "com/example/Hidden.java",
              """
              package com.example;
              class Hidden implements org.clusterpool.exercises.counter.Counter {
                public void increment(int worker) {}
                public long total() { return 0; }
              }
              """);

  @BeforeAll
  void compile(@TempDir Path directory) throws Exception {
    root = directory;
    classes = StudentSources.compile(root, SOURCES);
  }

  private String refusal(String className) throws Exception {
    try (StudentClasses students = StudentClasses.on(List.of(classes))) {
      return assertThrows(
              SolutionLoadException.class, () -> students.load(className, Exercises.COUNTER))
          .getMessage();
    }
  }

  @Test
  void aConstructorThatNeverReturnsIsATimedOutRunNotAHang() throws Exception {
    try (StudentClasses students = StudentClasses.on(List.of(classes))) {
      Implementation<Counter> sleeper =
          students.load("com.example.Sleeper", Exercises.COUNTER, Duration.ofMillis(300));
      Report report =
          ExerciseRunner.run(
              Exercises.COUNTER,
              new CounterParameters(2, 100),
              List.of(sleeper),
              new RunOptions(Duration.ofMillis(300), false),
              name -> {});
      Measurement row = report.measurements().get(0);
      assertEquals(Outcome.Kind.TIMED_OUT, row.outcome().kind(), row.outcome().toString());
      assertTrue(
          row.outcome().detail().startsWith("the constructor did not return within 300.0 ms"),
          row.outcome().detail());
      // what the run's own construction was doing: sleeping, as the student's code does
      assertTrue(
          row.outcome().detail().contains("Sleeper-create TIMED_WAITING in Thread.sleep"),
          row.outcome().detail());
      assertFalse(report.studentsPassed());
    }
  }

  @Test
  void aStudentsCounterIsCheckedAndTimedBesideTheReferences() throws Exception {
    try (StudentClasses students = StudentClasses.on(List.of(classes))) {
      Implementation<Counter> mine = students.load("com.example.MyCounter", Exercises.COUNTER);
      Implementation<Counter> wrong = students.load("com.example.DoubleCounter", Exercises.COUNTER);
      assertEquals("MyCounter", mine.name());
      assertFalse(mine.reference());
      Implementation<Counter> reference = Exercises.COUNTER.references().get(3);
      Report report =
          ExerciseRunner.run(
              Exercises.COUNTER,
              new CounterParameters(4, 40_000),
              List.of(reference, mine, wrong),
              new RunOptions(Duration.ofSeconds(30), false),
              name -> {});
      Measurement good = report.measurements().get(1);
      assertTrue(good.correct(), good.verdict().evidence());
      Measurement bad = report.measurements().get(2);
      assertFalse(bad.correct());
      assertEquals("counted 80,000 of 40,000: 40,000 too many", bad.verdict().evidence());
      assertFalse(report.studentsPassed());
      assertTrue(
          report.findings().stream()
              .anyMatch(f -> f.startsWith("MyCounter (yours) kept the invariant and was ")),
          report.findings().toString());
    }
  }

  @Test
  void aMissingClassIsOneLine() throws Exception {
    assertEquals("class 'com.example.Nope' not found in " + classes, refusal("com.example.Nope"));
  }

  @Test
  void aClassOfTheWrongKindIsOneLine() throws Exception {
    assertEquals(
        "class 'com.example.NotACounter' does not implement"
            + " org.clusterpool.exercises.counter.Counter, the interface of the counter exercise",
        refusal("com.example.NotACounter"));
    assertEquals(
        "class 'com.example.AbstractCounter' is abstract: give a class that can be instantiated",
        refusal("com.example.AbstractCounter"));
    assertEquals("class 'com.example.Hidden' is not public", refusal("com.example.Hidden"));
  }

  @Test
  void aClassThatCannotBeMadeIsOneLine() throws Exception {
    assertEquals(
        "class 'com.example.NeedsArguments' has no public constructor without arguments",
        refusal("com.example.NeedsArguments"));
    assertEquals(
        "class 'com.example.ThrowsAtBirth' threw while constructed: IllegalStateException: not"
            + " today",
        refusal("com.example.ThrowsAtBirth"));
  }

  @Test
  void aMissingClasspathEntryIsOneLine() {
    SolutionLoadException e =
        assertThrows(
            SolutionLoadException.class, () -> StudentClasses.on(List.of(root.resolve("nowhere"))));
    assertEquals(
        "classpath entry '" + root.resolve("nowhere") + "' does not exist", e.getMessage());
  }
}
