package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Runs the common commands once, into nothing, then a job across a small cluster in this JVM
 * ({@link ClusterWarmUp}). {@code bin/clusterpool} runs it after each build with {@code
 * -XX:ArchiveClassesAtExit} (or {@code -XX:AOTCacheOutput}), so that the JVM keeps the classes
 * these load in a class-data archive, and later runs, and the worker JVMs they start, start faster.
 */
@Command(
    name = "warm-up",
    hidden = true,
    description = "Run the common commands once (for the class-data archive).")
final class WarmUpCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    List<List<String>> runs =
        List.of(
            List.of("tasks"),
            List.of("map", "square", "1..20000", "--quiet"),
            List.of("map", "count-primes", "1,2,3", "--output", "json", "--quiet"),
            List.of("apply", "fib", "20"),
            List.of("starmap", "pow", "2,10"),
            List.of("gather", "sleep:0", "square:3", "fail:x", "--return-exceptions"),
            List.of("gather", "sleep:0", "sleep:0", "--as-completed", "--limit", "1"),
            List.of("map", "nope", "1"));
    for (List<String> run : runs) Main.run(run.toArray(String[]::new), nowhere, nowhere);
    try {
      ClusterWarmUp.run();
    } catch (Exception e) {
      // the archive keeps what was loaded up to here
    }
    return ExitCodes.OK;
  }
}
