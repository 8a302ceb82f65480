package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line as a user types it: output, exit codes, one-line errors. */
@Timeout(60)
class MainTest {

  /** The commands picocli is given for an argument list, by name, in order. */
  private static List<String> commandsFor(String... args) {
    picocli.CommandLine commandLine = new picocli.CommandLine(new Main());
    Main.addCommands(commandLine, args);
    return new ArrayList<>(commandLine.getSubcommands().keySet());
  }

  @Test
  void aCommandLineThatNamesACommandGetsThatOneAndAnyOtherGetsThemAll() {
    assertEquals(List.of("apply"), commandsFor("apply", "square", "3"));
    assertEquals(List.of("cluster"), commandsFor("-v", "cluster", "up", "2"));
    List<String> all = commandsFor("--help");
    assertTrue(
        all.containsAll(List.of("tasks", "map", "apply", "gather", "cluster", "node")),
        all.toString());
    assertEquals(all, commandsFor(), "no command named: all of them");
    assertEquals(
        all,
        commandsFor("mapp", "square", "1"),
        "a mistyped one: all of them, for its suggestions");
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"mapp", "square", "1"},
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertEquals(ExitCodes.USAGE, code);
    assertTrue(err.toString().startsWith("clusterpool: "), err.toString());
  }

  record Run(int code, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * Output that cannot be written ({@code > /dev/full}, a full disk) is a failure said in one line,
   * never results lost with exit code 0: map, apply and gather alike.
   */
  @Test
  void outputThatCannotBeWrittenFailsInOneLineSayingWhy() {
    for (String[] args :
        List.of(
            new String[] {"map", "square", "1..10"},
            new String[] {"map", "square", "1..3000000"}, // fails mid-job, at a timed flush
            new String[] {"apply", "square", "7"},
            new String[] {"gather", "sleep:0.01", "sleep:0"})) {
      java.io.OutputStream full =
          new java.io.OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
              throw new java.io.IOException("No space left on device");
            }
          };
      StringWriter err = new StringWriter();
      int code = Main.run(args, Terminal.stdout(full), new PrintWriter(err, true));
      assertEquals(1, code, String.join(" ", args) + ": " + err);
      assertEquals(1, err.toString().lines().count(), String.join(" ", args) + ": " + err);
      assertTrue(
          err.toString()
              .startsWith(
                  "clusterpool: standard output could not be written (No space left on device)"),
          String.join(" ", args) + ": " + err);
    }
  }

  @Test
  void mapPrintsOneResultALineInInputOrder() {
    Run run = run("map", "square", "1..10");
    assertEquals(0, run.code(), run.err());
    assertEquals(
        LongStream.rangeClosed(1, 10).mapToObj(x -> Long.toString(x * x)).toList(), run.lines());
    assertEquals("", run.err());
  }

  @Test
  void mapReadsListsAndRangesTogether() {
    Run run = run("map", "square", "3", "1,2", "5..6", "--workers", "3", "--chunksize", "1");
    assertEquals(List.of("9", "1", "4", "25", "36"), run.lines());
  }

  @Test
  void mapWritesJson() throws Exception {
    Run run =
        run(
            "map",
            "count-primes",
            "1..2000",
            "--chunksize",
            "50",
            "--workers",
            "2",
            "--output",
            "json");
    assertEquals(0, run.code(), run.err());
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals("count-primes", json.get("task").asText());
    assertEquals(2000, json.get("results").size());
    assertEquals(303, json.get("results").get(1999).asLong(), "primes below 2000");
    assertEquals(2, json.get("workers").asInt());
    assertTrue(json.get("elapsed_seconds").isNumber());
  }

  @Test
  void aFailingTaskExitsWithOneAndNamesTheInput() throws Exception {
    Run run = run("map", "square", "2", "3037000500");
    assertEquals(1, run.code());
    assertEquals(List.of("4"), run.lines(), "results before the failure are printed");
    assertEquals(
        "clusterpool: task 'square' failed on input 3037000500 (position 1): ArithmeticException:"
            + " long overflow",
        run.err().lines().findFirst().orElseThrow().replaceAll(" \\[.*\\]$", ""));
    Run json = run("map", "fail", "boom", "--output", "json");
    assertEquals(1, json.code());
    assertEquals(
        "boom", new ObjectMapper().readTree(json.out()).get("error").get("message").asText());
  }

  @Test
  void applyPrintsOneResult() throws Exception {
    assertEquals(List.of("832040"), run("apply", "fib", "30").lines());
    assertEquals(List.of("true"), run("apply", "is-prime", "1000000007").lines());
    // its time to the millisecond, as map's and gather's
    JsonNode json =
        new ObjectMapper().readTree(run("apply", "square", "3", "--output", "json").out());
    String seconds = json.get("elapsed_seconds").asText();
    assertTrue(seconds.matches("\\d+\\.\\d{1,3}"), seconds);
  }

  @Test
  void starmapTakesTuples() {
    Run run = run("starmap", "pow", "2,10", "3,4");
    assertEquals(List.of("1024", "81"), run.lines(), run.err());
  }

  @Test
  void whoamiNamesTheWorkers() {
    Run run = run("map", "whoami", "1..8", "--workers", "2", "--chunksize", "1");
    assertEquals(8, run.lines().size());
    assertTrue(
        run.lines().get(0).matches("1 worker-[12] pekko://clusterpool pid [0-9]+"),
        run.lines().get(0));
  }

  @Test
  void tasksListsTheCatalogOneLineEachUnderWhereItComesFrom() {
    Run run = run("tasks");
    assertEquals("built in:", run.lines().get(0), run.out());
    assertEquals(
        17,
        run.lines().stream()
            .takeWhile(l -> !l.startsWith("class path"))
            .filter(l -> l.startsWith("  "))
            .count(),
        run.out());
    assertTrue(
        run.lines().stream().anyMatch(l -> l.matches("  sleep +async +double -> double +.*")),
        run.out());
    assertTrue(
        // the test tasks are the engine's test classes: a folder, or its test jar once packaged
        // (verify)
        run.lines().stream()
            .anyMatch(
                l -> l.matches("class path \\(.*(test-classes|engine-[^/]*-tests\\.jar)\\):")),
        "this test's own tasks: " + run.out());
  }

  @Test
  void demoProcessRunsAChildJvmAndWaitsForIt() {
    Run run = run("demo", "process");
    assertEquals(0, run.code(), run.err());
    String child =
        run.lines().stream().filter(l -> l.startsWith("child")).findFirst().orElseThrow();
    assertTrue(
        child.matches(
            "child  \\(pid ([0-9]+)\\): Tâche du processus -> whoami: 1 process standalone pid"
                + " \\1"),
        child);
    assertTrue(run.out().contains("ended with exit code 0"), run.out());
  }

  @Test
  void demoPoolShowsTheCoursesResult() {
    Run run = run("demo", "pool");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.lines().contains("[1, 4, 9, 16, 25]"), run.out());
  }

  @Test
  void gatherPrintsResultsInTheOrderGivenAndTheTime() {
    Run run = run("gather", "sleep:0.4", "sleep:0.1", "square:7");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.lines().get(0).startsWith("sleep:0.4 -> 0.4  (worker-"), run.out());
    assertTrue(run.lines().get(1).startsWith("sleep:0.1 -> 0.1"), run.out());
    assertTrue(run.lines().get(2).startsWith("square:7 -> 49"), run.out());
    assertTrue(run.lines().get(3).matches("3 calls in [0-9.]+ s"), run.out());
  }

  @Test
  void gatherReturnsExceptionsOrFailsOnTheFirst() {
    Run returned = run("gather", "fib:25", "fail:boom", "square:7", "--return-exceptions");
    assertEquals(0, returned.code(), returned.err());
    assertTrue(
        returned
            .lines()
            .get(1)
            .startsWith("fail:boom -> error: task 'fail' failed on input boom (position 1)"),
        returned.out());
    Run failed = run("gather", "fib:25", "fail:boom");
    assertEquals(1, failed.code());
    assertTrue(
        failed.err().startsWith("clusterpool: task 'fail' failed on input boom (position 1)"),
        failed.err());
  }

  @Test
  void gatherTimesOutNamingWhatDidNotFinish() {
    Run run = run("gather", "sleep:30", "square:3", "--timeout", "500ms");
    assertEquals(1, run.code());
    assertEquals(
        "clusterpool: timed out after 0.5 s: sleep:30 did not finish and was cancelled",
        run.err().strip());
  }

  static List<Arguments> usageErrors() {
    List<Arguments> cases = new ArrayList<>();
    cases.add(
        Arguments.of(List.of("map", "carre", "1"), "unknown task 'carre': accepted: count-primes"));
    cases.add(
        Arguments.of(List.of("gather", "sleep"), "cannot read call 'sleep': expected TASK:INPUT"));
    cases.add(Arguments.of(List.of("gather", "nope:1"), "unknown task 'nope'"));
    cases.add(
        Arguments.of(
            List.of("gather", "sleep:x"), "cannot read call 'sleep:x': expected a number"));
    cases.add(
        Arguments.of(List.of("gather", "sleep:1", "--limit", "0"), "--limit must be at least 1"));
    cases.add(
        Arguments.of(
            List.of("gather", "sleep:1", "--timeout", "soon"), "expected a duration like 1s"));
    cases.add(
        Arguments.of(
            List.of("gather", "sleep:1", "--task-group", "--return-exceptions"),
            "do not go together"));
    cases.add(Arguments.of(List.of("gather"), "Missing required parameter: 'CALLS'"));
    cases.add(
        Arguments.of(
            List.of("map", "square", "x"),
            "cannot read input 'x' for task 'square': expected an integer"));
    cases.add(Arguments.of(List.of("map", "square", "1..x"), "cannot read input '1..x'"));
    cases.add(Arguments.of(List.of("map", "square", "9..1"), "range '9..1' is empty"));
    cases.add(
        Arguments.of(
            List.of("map", "fib", "99"),
            "input '99' is refused: fib: n = 99 is out of range: accepted 0..50"));
    cases.add(Arguments.of(List.of("map", "fib", "1..60"), "input 51 is refused"));
    cases.add(
        Arguments.of(
            List.of("map", "square", "@/no/such/file"),
            "cannot read inputs from '/no/such/file': no such file"));
    cases.add(Arguments.of(List.of("map", "square"), "no inputs given for task 'square'"));
    cases.add(
        Arguments.of(
            List.of("map", "square", "1", "--chunksize", "0"), "--chunksize must be at least 1"));
    cases.add(
        Arguments.of(
            List.of("map", "square", "1", "--chunksize", "many"),
            "Invalid value for option '--chunksize'"));
    cases.add(
        Arguments.of(
            List.of("map", "square", "1", "--workers", "0"),
            "--workers must be between 1 and 1024"));
    cases.add(
        Arguments.of(
            List.of("map", "square", "1", "--workers", "100000"),
            "--workers must be between 1 and 1024, got 100000"));
    cases.add(
        Arguments.of(
            List.of("map", "square", "1", "--output", "xml"),
            "Invalid value for option '--output'"));
    cases.add(Arguments.of(List.of("apply", "fib"), "Missing required parameter: 'INPUT'"));
    cases.add(Arguments.of(List.of("apply", "sleep", "-1"), "sleep: -1.0 s is out of range"));
    cases.add(
        Arguments.of(
            List.of("starmap", "square", "1"), "starmap needs a task whose input is a tuple"));
    cases.add(Arguments.of(List.of("starmap", "pow", "2,99"), "pow: exponent 99 is out of range"));
    cases.add(
        Arguments.of(List.of("demo", "nope"), "unknown demo 'nope': accepted: process, pool"));
    cases.add(Arguments.of(List.of("frobnicate"), "Unmatched argument at index 0: 'frobnicate'"));
    cases.add(Arguments.of(List.of("map", "square", "1", "--bogus"), "Unknown option: '--bogus'"));
    return cases;
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
}
