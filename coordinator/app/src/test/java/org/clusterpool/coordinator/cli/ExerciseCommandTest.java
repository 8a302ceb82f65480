package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.clusterpool.exercises.bank.Bank;
import org.clusterpool.exercises.student.StudentOutput;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code clusterpool exercise} as a student types it: the table, a solution of theirs compiled here
 * and checked beside the references, and one-line errors for every way to get the command or the
 * class wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ExerciseCommandTest {

  record Run(int code, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

    /** The table row of one implementation. */
    String row(String name) {
      return lines().stream()
          .filter(l -> l.startsWith(name + " "))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no row for " + name + " in:\n" + out + err));
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static final Map<String, String> STUDENT_SOURCES =
      Map.of(
          "com/example/MyBank.java",
"""
              package com.example;
              import org.clusterpool.exercises.bank.Bank;
import org.clusterpool.exercises.student.StudentOutput;
              /** One lock for the bank: correct. */
              public class MyBank implements Bank {
                private long[] balances;
                public synchronized void open(long[] opening) { balances = opening.clone(); }
                public synchronized boolean transfer(int from, int to, long amount) {
                  if (balances[from] < amount) return false;
                  balances[from] -= amount;
                  balances[to] += amount;
                  return true;
                }
                public synchronized long[] balances() { return balances.clone(); }
              }
""",
          "com/example/GenerousBank.java",
"""
              package com.example;
              import org.clusterpool.exercises.bank.Bank;
import org.clusterpool.exercises.student.StudentOutput;
              /** Forgets to debit: money appears. */
              public class GenerousBank implements Bank {
                private long[] balances;
                public synchronized void open(long[] opening) { balances = opening.clone(); }
                public synchronized boolean transfer(int from, int to, long amount) {
                  balances[to] += amount;
                  return true;
                }
                public synchronized long[] balances() { return balances.clone(); }
              }
""",
          "com/example/CrashingBank.java",
"""
              package com.example;
              import org.clusterpool.exercises.bank.Bank;
import org.clusterpool.exercises.student.StudentOutput;
              /** Fails on its hundredth transfer. */
              public class CrashingBank implements Bank {
                private int transfers;
                public void open(long[] opening) {}
                public synchronized boolean transfer(int from, int to, long amount) {
                  if (++transfers == 100) throw new IllegalStateException("out of ink");
                  return false;
                }
                public long[] balances() { return new long[0]; }
              }
""",
          "com/example/MyCounter.java",
          """
          package com.example;
          public class MyCounter implements org.clusterpool.exercises.counter.Counter {
            private final java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();
            public void increment(int worker) { count.increment(); }
            public long total() { return count.sum(); }
          }
          """,
          "com/example/PickyBank.java",
          """
          package com.example;
          public class PickyBank extends MyBank {
            public PickyBank(String name) {}
          }
          """,
          "com/example/GrumpyBank.java",
          """
          package com.example;
          public class GrumpyBank extends MyBank {
            public GrumpyBank() { throw new UnsupportedOperationException("no transfers on Sundays"); }
          }
          """);

  /** Solutions that misbehave beyond a wrong answer: each must still end in one clean report. */
  private static final Map<String, String> HOSTILE_SOURCES =
      Map.of(
          "com/example/Exits.java",
              """
              package com.example;
              public class Exits implements org.clusterpool.exercises.counter.Counter {
                public void increment(int worker) { System.exit(0); }
                public long total() { return 0; }
              }
              """,
          "com/example/Endless.java",
              """
              package com.example;
              public class Endless implements org.clusterpool.exercises.counter.Counter {
                public Endless() {
                  try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException e) { }
                }
                public void increment(int worker) {}
                public long total() { return 0; }
              }
              """,
          "com/example/Escaping.java",
              """
              package com.example;
              public class Escaping implements org.clusterpool.exercises.counter.Counter {
                public void increment(int worker) {
                  throw new IllegalStateException("boom\\u001b[31m\\nsecond line");
                }
                public long total() { return 0; }
              }
              """,
          "com/example/Chatty.java",
              """
              package com.example;
              public class Chatty implements org.clusterpool.exercises.counter.Counter {
                private final java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();
                public void increment(int worker) { System.out.print("\\u001b[2J"); count.increment(); }
                public long total() { return count.sum(); }
              }
              """,
          "com/example/Unclosable.java",
              """
              package com.example;
              public class Unclosable extends MyCounter implements AutoCloseable {
                public void close() { try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException e) { } }
              }
              """,
          "org/other/MyBank.java",
              """
              package org.other;
              public class MyBank extends com.example.MyBank {}
              """);

  private Path classes;
  private Path elsewhere;

  @BeforeAll
  void compileTheStudentsClasses(@TempDir Path root) throws IOException, URISyntaxException {
    classes = Files.createDirectories(root.resolve("classes"));
    elsewhere = Files.createDirectories(root.resolve("elsewhere"));
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "-d",
                classes.toString(),
                "-classpath",
                Path.of(Bank.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString()));
    Map<String, String> sources = new java.util.HashMap<>(STUDENT_SOURCES);
    sources.putAll(HOSTILE_SOURCES);
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = root.resolve("src").resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
      arguments.add(file.toString());
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int code =
        ToolProvider.getSystemJavaCompiler()
            .run(null, errors, errors, arguments.toArray(String[]::new));
    assertEquals(0, code, errors.toString());
  }

  private static final String SMALL_BANK = "--accounts=10 --transfers=4000 --no-warmup --runs=1";

  private Run bank(String implementation, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "exercise",
                "bank",
                "--impl",
                implementation,
                "--classpath",
                elsewhere + File.pathSeparator + classes,
                "--only",
                "global-lock"));
    args.addAll(List.of(SMALL_BANK.split(" ")));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void listNamesEveryExerciseItsInterfaceAndItsReferences() {
    Run run = run("exercise", "list");
    assertEquals(0, run.code(), run.err());
    assertEquals(15, run.lines().size(), run.out());
    assertTrue(run.out().contains("implement org.clusterpool.exercises.bank.Bank"), run.out());
    assertTrue(
        run.out().contains("references: wait-notify, array-blocking-queue, buffer-actor"),
        run.out());
    assertEquals(run.out(), run("exercise").out(), "without a name, exercise lists");
  }

  @Test
  void counterPrintsOneTableAndWhatItShows() {
    Run run =
        run(
            "exercise",
            "counter",
            "--threads",
            "2",
            "--ops",
            "20000",
            "--no-warmup",
            "--runs",
            "1");
    assertEquals(0, run.code(), run.err());
    assertEquals("", run.err());
    assertTrue(
        run.lines().get(0).startsWith("counter: 2 worker threads, 20,000 increments in all"),
        run.lines().get(0));
    assertTrue(
        run.lines().get(2).startsWith("implementation  correct?  evidence"), run.lines().get(2));
    for (String name :
        List.of(
            "synchronized",
            "reentrant-lock",
            "atomic-long",
            "long-adder",
            "counter-actor",
            "per-worker-sum")) {
      assertTrue(
          run.row(name).matches(name + " +yes +count = 20,000 +finished .*x"), run.row(name));
    }
    assertTrue(run.row("unsynchronized").contains("finished"), run.out());
    assertTrue(run.lines().stream().anyMatch(l -> l.startsWith("- Fastest correct: ")), run.out());
  }

  static List<Arguments> smallRuns() {
    return List.of(
        Arguments.of(
            List.of(
                "bank",
                "--accounts",
                "10",
                "--transfers",
                "2000",
                "--only",
                "global-order,account-actors,sharded"),
            List.of("global-order", "account-actors", "sharded")),
        Arguments.of(
            List.of(
                "buffer",
                "--items",
                "3000",
                "--capacity",
                "2",
                "--only",
                "wait-notify,buffer-actor"),
            List.of("wait-notify", "buffer-actor")),
        Arguments.of(
            List.of(
                "philosophers",
                "--meals",
                "300",
                "--only",
                "ordered-forks,waiter-actor,fork-actors"),
            List.of("ordered-forks", "waiter-actor", "fork-actors")),
        Arguments.of(
            List.of("wordcount", "--words", "30000", "--only", "shared-map,pool-map"),
            List.of("shared-map", "pool-map")));
  }

  @ParameterizedTest
  @MethodSource("smallRuns")
  void everyExerciseRunsItsReferences(List<String> args, List<String> rows) {
    List<String> command = new ArrayList<>(List.of("exercise"));
    command.addAll(args);
    command.addAll(List.of("--no-warmup", "--runs", "1"));
    Run run = run(command.toArray(String[]::new));
    assertEquals(0, run.code(), run.err());
    for (String name : rows)
      assertTrue(run.row(name).matches(name + " +yes .* finished .*x"), run.row(name));
  }

  @Test
  void aStudentsCorrectSolutionIsCheckedAndTimedBesideTheReferences() {
    Run run = bank("com.example.MyBank");
    assertEquals(0, run.code(), run.err());
    assertTrue(
        run.row("MyBank").matches("MyBank +yes +total 10,000 kept.* finished .*x"),
        run.row("MyBank"));
    assertTrue(run.row("global-lock").contains(" yes "), run.out());
    assertTrue(
        run.lines().stream()
            .anyMatch(l -> l.startsWith("- MyBank (yours) kept the invariant and was ")),
        run.out());
  }

  @Test
  void aStudentsWrongSolutionIsReportedWithTheEvidenceAndExitCodeOne() {
    Run run = bank("com.example.GenerousBank");
    assertEquals(1, run.code(), run.out() + run.err());
    assertTrue(
        run.row("GenerousBank")
            .matches("GenerousBank +no +money created: \\+[0-9,]+; .* finished .*"),
        run.row("GenerousBank"));
    assertEquals("", run.err());
  }

  @Test
  void aStudentsSolutionThatThrowsIsAFailedRowNotACrash() {
    Run run = bank("com.example.CrashingBank");
    assertEquals(1, run.code(), run.out() + run.err());
    assertTrue(
        run.row("CrashingBank")
            .matches(
                "CrashingBank +no +threw IllegalStateException: out of ink +threw after [0-9,]+"
                    + " transfers +- +- +-"),
        run.row("CrashingBank"));
    assertTrue(run.out().contains("- CrashingBank threw after "), run.out());
  }

  private Run counter(String implementation, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "exercise",
                "counter",
                "--impl",
                implementation,
                "--classpath",
                classes.toString(),
                "--only",
                "synchronized",
                "--ops",
                "20000",
                "--runs",
                "1",
                "--no-warmup"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void aConstructorThatNeverReturnsIsTimedOutNotAHang() {
    Run run = counter("com.example.Endless", "--timeout", "1");
    assertEquals(1, run.code(), run.out() + run.err());
    assertTrue(run.row("Endless").contains("timed out after 0 increments"), run.row("Endless"));
    assertTrue(run.out().contains("the constructor did not return within 1.00 s"), run.out());
  }

  @Test
  void aCloseThatNeverReturnsIsTimedOutNotCorrect() {
    Run run = counter("com.example.Unclosable", "--timeout", "1");
    assertEquals(1, run.code(), run.out() + run.err());
    assertTrue(run.row("Unclosable").matches("Unclosable +no +.*timed out after .*"), run.out());
    assertTrue(run.out().contains("close() did not return within 1.00 s"), run.out());
  }

  @Test
  void aStudentsExceptionMessageReachesTheTerminalEscaped() {
    Run run = counter("com.example.Escaping");
    assertEquals(1, run.code(), run.out() + run.err());
    assertFalse(run.out().contains(String.valueOf((char) 27)), "no raw ESC: " + run.out());
    assertTrue(
        run.row("Escaping").contains("IllegalStateException: boom\\u001b[31m second line"),
        run.row("Escaping"));
    assertTrue(
        run.out()
            .contains(
                "- Escaping threw after 0 increments: IllegalStateException:"
                    + " boom\\u001b[31m second line."),
        run.out());
  }

  @Test
  void whatAStudentsClassPrintsIsEscapedAndCapped() {
    Run run = counter("com.example.Chatty");
    assertEquals(0, run.code(), run.out() + run.err());
    assertFalse(run.err().contains(String.valueOf((char) 27)), "no raw ESC");
    assertFalse(run.out().contains(String.valueOf((char) 27)), "no raw ESC");
    assertTrue(run.err().startsWith("\\u001b[2J"), run.err().substring(0, 40));
    assertTrue(run.err().length() < 2 * StudentOutput.MAX_CHARS, "capped: " + run.err().length());
    List<String> lines = run.err().lines().toList();
    assertEquals(2, lines.size(), "what it printed, then how much was dropped, once");
    assertTrue(
        lines
            .get(lines.size() - 1)
            .matches(
                "clusterpool exercise: [0-9,]+ more bytes that the solutions printed were dropped"
                    + " .*"),
        lines.get(lines.size() - 1));
  }

  @Test
  void theSameClassTwiceIsRefusedInOneLine() {
    Run run = bank("com.example.MyBank", "--impl", "com.example.MyBank");
    assertEquals(2, run.code(), run.out() + run.err());
    assertEquals("", run.out());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(
        lines.get(0).endsWith("--impl 'com.example.MyBank' is given twice: give each class once"),
        lines.get(0));
  }

  @Test
  void twoClassesOfOneSimpleNameAreRefusedInOneLine() {
    Run run = bank("com.example.MyBank", "--impl", "org.other.MyBank");
    assertEquals(2, run.code(), run.out() + run.err());
    assertEquals("", run.out());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().contains("rename the class"), run.err());
  }

  @Test
  void aStudentsSystemExitEndsTheCommandWithExitOneAndOneLine() throws Exception {
    Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                launcher.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "exercise",
                "counter",
                "--impl",
                "com.example.Exits",
                "--classpath",
                classes.toString(),
                "--runs",
                "1",
                "--no-warmup",
                "--only",
                "synchronized",
                "--timeout",
                "5")
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    byte[] out;
    byte[] err;
    try {
      CompletableFutureReader stdout = new CompletableFutureReader(process.getInputStream());
      CompletableFutureReader stderr = new CompletableFutureReader(process.getErrorStream());
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError("the command did not end within 60 s");
      }
      out = stdout.bytes();
      err = stderr.bytes();
    } finally {
      process.destroyForcibly();
    }
    String errText = new String(err, java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(1, process.exitValue(), errText);
    List<String> lines = errText.lines().filter(l -> l.startsWith("clusterpool")).toList();
    assertEquals(1, lines.size(), errText);
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "clusterpool: exercise stopped: your class called System.exit from"
                    + " com.example.Exits.increment(Exits.java:"),
        lines.get(0));
    assertEquals("", new String(out, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Reads a stream to its end on a thread of its own, so that a full pipe cannot stall the JVM. */
  private static final class CompletableFutureReader {
    private final java.util.concurrent.CompletableFuture<byte[]> read;

    CompletableFutureReader(java.io.InputStream in) {
      read =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return in.readAllBytes();
                } catch (IOException e) {
                  return new byte[0];
                }
              });
    }

    byte[] bytes() throws Exception {
      return read.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  static List<Arguments> refusedClasses() {
    return List.of(
        Arguments.of("com.example.Nope", "clusterpool: class 'com.example.Nope' not found in "),
        Arguments.of(
            "com.example.MyCounter",
            "clusterpool: class 'com.example.MyCounter' does not implement"
                + " org.clusterpool.exercises.bank.Bank, the interface of the bank exercise"),
        Arguments.of(
            "com.example.PickyBank",
            "clusterpool: class 'com.example.PickyBank' has no public constructor without"
                + " arguments"),
        Arguments.of(
            "com.example.GrumpyBank",
            "clusterpool: class 'com.example.GrumpyBank' threw while constructed:"
                + " UnsupportedOperationException: no transfers on Sundays"));
  }

  @ParameterizedTest
  @MethodSource("refusedClasses")
  void aClassThatCannotBeUsedIsOneLineAndExitCodeTwo(String className, String expected) {
    Run run = bank(className);
    assertEquals(2, run.code(), run.err());
    assertEquals("", run.out());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith(expected), lines.get(0));
  }

  static List<Arguments> usageErrors() {
    return List.of(
        Arguments.of(
            List.of("exercise", "nope"),
            "unknown exercise 'nope': accepted: list, counter, bank, buffer, philosophers,"
                + " wordcount"),
        Arguments.of(
            List.of("exercise", "counter", "--threads", "0"),
            "--threads must be between 1 and 256, got 0"),
        Arguments.of(
            List.of("exercise", "counter", "--ops", "many"), "Invalid value for option '--ops'"),
        Arguments.of(
            List.of("exercise", "bank", "--accounts", "1"),
            "--accounts must be between 2 and 10000, got 1"),
        Arguments.of(
            List.of("exercise", "bank", "--only", "global-lock,nope"),
            "unknown reference 'nope' for bank: accepted: global-lock, naive-order, global-order"),
        Arguments.of(
            List.of("exercise", "bank", "--classpath", "/tmp"),
            "--classpath is for the classes given with --impl"),
        Arguments.of(
            List.of(
                "exercise", "bank", "--impl", "com.example.MyBank", "--classpath", "/no/such/dir"),
            "classpath entry '/no/such/dir' does not exist"),
        Arguments.of(
            List.of("exercise", "buffer", "--capacity", "0"),
            "--capacity must be between 1 and 1000000, got 0"),
        Arguments.of(
            List.of("exercise", "philosophers", "--philosophers", "1"),
            "--philosophers must be between 2 and 64, got 1"),
        Arguments.of(
            List.of("exercise", "wordcount", "--timeout", "0"),
            "--timeout must be between 1 and 3600, got 0"),
        Arguments.of(
            List.of("exercise", "counter", "--runs", "0"),
            "--runs must be between 1 and 50, got 0"),
        Arguments.of(List.of("exercise", "wordcount", "--bogus"), "Unknown option: '--bogus'"));
  }

  @ParameterizedTest
  @MethodSource("usageErrors")
  void aUsageErrorIsOneLineAndExitCodeTwo(List<String> args, String expected) {
    Run run = run(args.toArray(String[]::new));
    assertEquals(2, run.code(), run.err());
    assertEquals("", run.out());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), run.err());
    assertTrue(lines.get(0).startsWith("clusterpool"), lines.get(0));
    assertTrue(lines.get(0).contains(expected), lines.get(0));
  }

  @Test
  void everyExerciseExplainsItsOptions() {
    Run run = run("exercise", "bank", "--help");
    assertEquals(0, run.code(), run.err());
    for (String option :
        List.of(
            "--accounts",
            "--transfers",
            "--threads",
            "--impl",
            "--classpath",
            "--only",
            "--timeout",
            "--runs")) {
      assertTrue(run.out().contains(option), option + " in:\n" + run.out());
    }
    assertTrue(run.out().contains("(default: 50000)"), run.out());
  }
}
