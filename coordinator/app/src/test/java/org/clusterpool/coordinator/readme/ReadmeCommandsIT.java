package org.clusterpool.coordinator.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code bin/clusterpool} command of README.md's code blocks, run as typed, in the README's
 * order, with the exit code checked and, where a transcript shows output, the lines it shows found
 * in what was printed ({@link Readme#pattern}: numbers, pids, paths vary; words do not).
 *
 * <p>Run by failsafe after {@code package}, on the jar a user runs (alone: README, "Building,
 * testing"). {@code bin/clusterpool} here is a script in a temporary folder that runs that jar as
 * the real one does (its JVM options, a class-data archive trained by its {@code warm-up}), with
 * that folder as the project's home, so a cluster the README starts keeps its state file and logs
 * there, apart from any cluster of the user's. Commands that need a running cluster ({@code
 * --connect}, {@code cluster status}...) get one: the README's own {@code cluster up}, or one
 * started for them; a {@code --connect} to a local URL is pointed at it. Whatever the test started
 * is stopped at the end, even when it fails. Skipped, each with its reason: {@link #SKIPPED}; run
 * shorter: {@link #QUICK}. To run some of them only, {@code -Dreadme.commands=REGEX} selects the
 * commands it finds.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class ReadmeCommandsIT {

  private static final String CUBE_JAR =
      "the example project's jar, made by `package` after the tests: CubeExampleTest builds it and"
          + " runs these";

  /** Commands not run here: the command (or its start), and why. */
  static final Map<String, String> SKIPPED = new LinkedHashMap<>();

  static {
    SKIPPED.put(
        "bin/clusterpool bench",
        "every benchmark, several minutes: too long for the build (run by hand)");
    SKIPPED.put(
        "bin/clusterpool exercise bank --impl com.example.MyBank",
        "a placeholder: com.example.MyBank is the reader's own class");
    SKIPPED.put("bin/clusterpool map cube", CUBE_JAR);
    SKIPPED.put(
        "bin/clusterpool coordinator",
        "a member in the foreground at another machine's address, until Ctrl-C");
  }

  /** Skipped wherever they appear, for the reason given. */
  private static final Map<Pattern, String> SKIPPED_WHEN =
      Map.of(
          Pattern.compile("\\s--tasks\\b"), CUBE_JAR,
          Pattern.compile("kubectl|\\bk8s/"), "needs Kubernetes",
          Pattern.compile("--connect(=|\\s+)https?://(?!127\\.0\\.0\\.1|localhost)"),
              "a remote address");

  /**
   * Run with {@code --quick}: each measures for about half a minute in full; here what is checked
   * is that it runs.
   */
  static final List<String> QUICK =
      List.of("bin/clusterpool demo gil", "bin/clusterpool demo concurrency-advice");

  /** Commands meant to fail whose transcript does not show it: the command and its exit code. */
  static final Map<String, Integer> EXIT_CODES =
      Map.of("bin/clusterpool gather sleep:5 square:3 --timeout 1s", 1);

  /**
   * Files a command reads, made as the README makes them: the command, and the shell line the
   * README shows before it (checked to be there, so the two cannot drift apart).
   */
  static final Map<String, String> SETUPS =
      Map.of(
          "bin/clusterpool map sha256 @big.txt",
          "(echo 1000; head -c 10485760 /dev/zero | tr '\\0' a; echo) > big.txt");

  /**
   * A status shows a cluster that is still settling (a JVM replaced a moment ago): asked again, as
   * a user would.
   */
  private static final long SETTLE_SECONDS = 30;

  private static final long BOUND_SECONDS = 240;
  private static final Pattern LOCAL_URL =
      Pattern.compile("(--connect(?:=|\\s+))(https?://(?:127\\.0\\.0\\.1|localhost)(?::\\d+)?)");

  @TempDir Path home;

  private boolean clusterUp;

  /**
   * The line of a {@code cluster up} that was skipped: the commands for its cluster are skipped
   * with it.
   */
  private int skippedUp;

  @Test
  void everyCommandOfTheReadmeRunsAsWrittenAndPrintsWhatItShows() throws Exception {
    List<Readme.Command> commands = Readme.commands(Readme.lines());
    assertFalse(commands.isEmpty(), "README.md has bin/clusterpool commands");
    writeLauncher();
    Pattern selected = Pattern.compile(System.getProperty("readme.commands", ""));
    List<String> failures = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    int compared = 0;
    try {
      for (Readme.Command command : commands) {
        if (!selected.matcher(command.text()).find()) continue;
        Optional<String> why =
            skipReason(command.text())
                .or(() -> shownLater(command, commands))
                .or(() -> onSkippedCluster(command));
        if (command.text().startsWith("bin/clusterpool cluster up"))
          skippedUp = why.isPresent() ? command.line() : 0;
        if (why.isPresent()) {
          skipped.add("README.md:" + command.line() + ": " + command.text() + " -- " + why.get());
          continue;
        }
        long start = System.nanoTime();
        List<String> failed = check(command);
        failures.addAll(failed);
        if (command.showsOutput()) compared++;
        System.out.printf(
            Locale.ROOT,
            "README.md:%d: %s: %s in %.1f s%n",
            command.line(),
            command.text(),
            failed.isEmpty() ? "ok" : "FAILED",
            (System.nanoTime() - start) / 1e9);
      }
    } finally {
      stopCluster();
    }
    System.out.println("README commands skipped:\n  " + String.join("\n  ", skipped));
    assertTrue(
        failures.isEmpty(),
        failures.size()
            + " README command(s) did not do what README says:\n\n"
            + String.join("\n\n", failures));
    if (selected.pattern().isEmpty())
      assertTrue(compared > 0, "README's transcripts were compared with what the commands print");
  }

  static Optional<String> skipReason(String command) {
    for (Map.Entry<String, String> skip : SKIPPED.entrySet()) {
      if (command.equals(skip.getKey()) || command.startsWith(skip.getKey() + " "))
        return Optional.of(skip.getValue());
    }
    for (Map.Entry<Pattern, String> skip : SKIPPED_WHEN.entrySet()) {
      if (skip.getKey().matcher(command).find()) return Optional.of(skip.getValue());
    }
    return Optional.empty();
  }

  /**
   * A command the README repeats further down in a transcript, where it is run and its output
   * compared: run once (only when it changes nothing; a cluster command is run wherever it
   * appears).
   */
  static Optional<String> shownLater(Readme.Command command, List<Readme.Command> all) {
    if (command.showsOutput() || command.text().startsWith("bin/clusterpool cluster "))
      return Optional.empty();
    return all.stream()
        .filter(
            c -> c.line() > command.line() && c.text().equals(command.text()) && c.showsOutput())
        .findFirst()
        .map(c -> "run at README.md:" + c.line() + ", where its output is shown");
  }

  /**
   * A command for the cluster of a {@code cluster up} that was skipped (until another cluster comes
   * up).
   */
  private Optional<String> onSkippedCluster(Readme.Command command) {
    if (skippedUp == 0 || !needsCluster(command.text())) return Optional.empty();
    return Optional.of("runs on the cluster of README.md:" + skippedUp + ", which is skipped");
  }

  /** Runs one command (with what it needs around it) and says what went wrong, if anything. */
  private List<String> check(Readme.Command command) throws Exception {
    String text = command.text();
    boolean up = text.startsWith("bin/clusterpool cluster up");
    if (up && clusterUp) stopCluster();
    if (!up && needsCluster(text) && !clusterUp) startCluster();
    String typed = text;
    Matcher local = LOCAL_URL.matcher(typed);
    if (local.find())
      typed = local.replaceAll(Matcher.quoteReplacement(local.group(1)) + clusterUrl());
    if (QUICK.contains(text)) typed += " --quick";

    String setup = SETUPS.get(text);
    if (setup != null) {
      assertTrue(
          Readme.lines().contains("$ " + setup)
              || Readme.lines().stream().anyMatch(l -> l.startsWith("$ " + setup + " ")),
          "README.md shows how the file of '" + text + "' is made: $ " + setup);
      Run made = run(setup);
      assertTrue(
          made.ended() && made.exitCode() == 0,
          "the README's '" + setup + "' failed:\n" + indent(made.output()));
    }
    Run run = run(typed);
    long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
    while (text.equals("bin/clusterpool cluster status")
        && Readme.firstMissing(command.shown(), run.output()).isPresent()
        && System.nanoTime() < settleUntil) {
      Thread.sleep(1000);
      run = run(typed);
    }
    return verdict(command, typed, run);
  }

  /** What went wrong in one run of a command, by the README's account of it. */
  private List<String> verdict(Readme.Command command, String typed, Run run) {
    String text = command.text();
    boolean up = text.startsWith("bin/clusterpool cluster up");
    String where = "README.md:" + command.line() + ": " + typed;
    List<String> failures = new ArrayList<>();
    if (!run.ended()) {
      failures.add(
          where
              + "\n  did not end within "
              + BOUND_SECONDS
              + " s; it printed:\n"
              + indent(run.output()));
      return failures;
    }
    Integer expected = EXIT_CODES.get(text);
    if (expected != null && run.exitCode() != expected) {
      failures.add(
          where
              + "\n  exit code "
              + run.exitCode()
              + ", expected "
              + expected
              + "; it printed:\n"
              + indent(run.output()));
    } else if (expected == null && command.showsAnError() && run.exitCode() == 0) {
      failures.add(
          where
              + "\n  exit code 0, but README shows an error; it printed:\n"
              + indent(run.output()));
    } else if (expected == null && !command.showsAnError() && run.exitCode() != 0) {
      failures.add(
          where + "\n  exit code " + run.exitCode() + "; it printed:\n" + indent(run.output()));
    }
    Optional<String> missing = Readme.firstMissing(command.shown(), run.output());
    missing.ifPresent(
        line ->
            failures.add(
                where
                    + "\n  README shows the line\n    "
                    + line
                    + "\n  which is not in what it printed (in order):\n"
                    + indent(run.output())));
    if (up && run.exitCode() == 0) clusterUp = true;
    if (text.startsWith("bin/clusterpool cluster down")) clusterUp = false;
    return failures;
  }

  /**
   * A command that talks to a running cluster: {@code --connect} (to no URL or a local one), or a
   * cluster command.
   */
  static boolean needsCluster(String command) {
    if (command.startsWith("bin/clusterpool cluster "))
      return !command.startsWith("bin/clusterpool cluster up");
    return Pattern.compile("--connect(?!(=|\\s+)https?://(?!127\\.0\\.0\\.1|localhost))")
        .matcher(command)
        .find();
  }

  record Run(boolean ended, int exitCode, List<String> output) {}

  private Run run(String command) throws Exception {
    Path output = Files.createTempFile(home, "out", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().remove("CLUSTERPOOL_JAVA_OPTS");
    Process process = builder.start();
    try {
      boolean ended = process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
      return new Run(ended, ended ? process.exitValue() : -1, Files.readAllLines(output));
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private void startCluster() throws Exception {
    Run up = run("bin/clusterpool cluster up 2");
    assertTrue(
        up.ended() && up.exitCode() == 0,
        "a cluster for the README's --connect commands did not start:\n" + indent(up.output()));
    clusterUp = true;
  }

  /**
   * Stops the test's cluster: gracefully, then whatever the state file still names is killed (only
   * its pids).
   */
  private void stopCluster() throws Exception {
    Path state = home.resolve(".clusterpool").resolve("cluster.json");
    List<Long> pids = new ArrayList<>();
    if (Files.exists(state)) {
      JsonNode json = new ObjectMapper().readTree(Files.readString(state));
      for (JsonNode member : json.path("members")) pids.add(member.path("pid").asLong());
      run("bin/clusterpool cluster down");
    }
    for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    clusterUp = false;
  }

  private String clusterUrl() throws IOException {
    Path state = home.resolve(".clusterpool").resolve("cluster.json");
    return new ObjectMapper().readTree(Files.readString(state)).path("http").asText();
  }

  /**
   * {@code bin/clusterpool} for the test: what the real one runs (the jar, its JVM options, a
   * class-data archive from its training run, made once here), with the folder as the project's
   * home. An archive that cannot be made is gone without, as the real launcher does.
   */
  private void writeLauncher() throws Exception {
    String jarProperty = System.getProperty("clusterpool.jar", "");
    Path jar = Path.of(jarProperty);
    assertTrue(
        !jarProperty.isEmpty() && Files.isRegularFile(jar),
        "the built jar, from failsafe's clusterpool.jar after package: '" + jarProperty + "'");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> options = new ArrayList<>(List.of("-XX:+UseParallelGC"));
    if (Runtime.version().feature() >= 23) options.add("--sun-misc-unsafe-memory-access=allow");
    Path archive = home.resolve("clusterpool.jsa");
    List<String> training = new ArrayList<>(List.of(java));
    training.addAll(options);
    training.addAll(
        List.of(
            "-XX:ArchiveClassesAtExit=" + archive,
            "-Xlog:cds=off",
            "-Xlog:cds+dynamic=off",
            "-jar",
            jar.toString(),
            "warm-up"));
    Process trained =
        new ProcessBuilder(training)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve("warm-up.txt").toFile())
            .start();
    if (!trained.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) trained.destroyForcibly().waitFor();
    if (Files.isRegularFile(archive)) {
      options.addAll(
          List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    } else {
      System.out.println(
          "no class-data archive: the warm-up printed\n"
              + indent(Files.readAllLines(home.resolve("warm-up.txt"))));
    }
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path launcher = bin.resolve("clusterpool");
    Files.writeString(
        launcher,
        "#!/usr/bin/env bash\n"
            + "# bin/clusterpool as the README test runs it: the built jar, this folder as the"
            + " project's home\n"
            + "exec "
            + quoted(java)
            + " "
            + options.stream().map(ReadmeCommandsIT::quoted).collect(Collectors.joining(" "))
            + " -Dclusterpool.home="
            + quoted(home.toString())
            + " -Dclusterpool.stderr.tty=false -jar "
            + quoted(jar.toString())
            + " \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String quoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private static String indent(List<String> lines) {
    List<String> shown = lines.size() > 60 ? lines.subList(lines.size() - 60, lines.size()) : lines;
    return shown.stream().map(l -> "    | " + l).collect(Collectors.joining("\n"));
  }

  @Test
  void theSkipListSaysWhyAndTheClusterRuleFindsWhatNeedsOne() {
    assertEquals(
        Optional.of(CUBE_JAR), skipReason("bin/clusterpool map cube 1..5 --tasks cube.jar"));
    assertEquals(Optional.of(CUBE_JAR), skipReason("bin/clusterpool map cube 1..5"));
    assertEquals(
        Optional.of("a remote address"),
        skipReason("bin/clusterpool map square 1..3 --connect http://10.0.0.5:8080"));
    assertEquals(
        Optional.empty(),
        skipReason("bin/clusterpool map fib 1..60 --connect http://127.0.0.1:8080"));
    assertEquals(Optional.empty(), skipReason("bin/clusterpool benchmark-like-but-not bench"));
    assertTrue(needsCluster("bin/clusterpool map whoami 1..12 --connect"));
    assertTrue(needsCluster("bin/clusterpool map fib 1..60 --connect http://127.0.0.1:8080"));
    assertTrue(needsCluster("bin/clusterpool cluster status"));
    assertFalse(needsCluster("bin/clusterpool cluster up 3"));
    assertFalse(needsCluster("bin/clusterpool map square 1..10"));
    assertNotEquals(0, EXIT_CODES.get("bin/clusterpool gather sleep:5 square:3 --timeout 1s"));
    Readme.Command plain =
        new Readme.Command(10, "bin/clusterpool demo queue --nodes 2", List.of());
    Readme.Command shown =
        new Readme.Command(
            20, "bin/clusterpool demo queue --nodes 2", List.of("Measured, on 2 worker JVMs"));
    Readme.Command down = new Readme.Command(5, "bin/clusterpool cluster down", List.of());
    Readme.Command downShown =
        new Readme.Command(30, "bin/clusterpool cluster down", List.of("cluster down in 6.0 s"));
    assertEquals(
        Optional.of("run at README.md:20, where its output is shown"),
        shownLater(plain, List.of(plain, shown)));
    assertEquals(Optional.empty(), shownLater(shown, List.of(plain, shown)));
    assertEquals(
        Optional.empty(),
        shownLater(down, List.of(down, downShown)),
        "a cluster command changes the cluster: run each time");
  }
}
