package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.members.PoolSession;
import org.clusterpool.coordinator.soak.Soak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "soak",
    description = {
      "Run a stream of mixed jobs on a local cluster while killing, freezing, stopping and adding"
          + " worker JVMs and",
      "restarting the coordinator at random; check every result and print what was lost,"
          + " duplicated, or late.",
      "Exit code 1 if any result was lost, duplicated or wrong, or a job did not end in its bound."
    })
final class SoakCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--minutes",
      paramLabel = "N",
      description = "How long to run (1 to 600, default 10).")
  int minutes = 10;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      description = "Worker JVMs the cluster keeps (1 to 16, default 3).")
  int nodes = 3;

  @Option(
      names = {"-w", "--workers"},
      paramLabel = "K",
      description = "Worker actors per node (1 to 16, default 1).")
  int workers = 1;

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description = "Jobs running at once (1 to 16, default 2).")
  int jobs = 2;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the jobs and faults chosen (default: from the clock).")
  Long seed;

  @Option(
      names = "--job-bound",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "A job not ended by then counts as late (default: 3m).")
  Duration jobBound = Duration.ofMinutes(3);

  @Override
  public Integer call() throws Exception {
    between("--minutes", minutes, 1, 600);
    between("--nodes", nodes, 1, 16);
    between("--workers", workers, 1, 16);
    between("--jobs", jobs, 1, 16);
    PrintWriter out = spec.commandLine().getOut();
    Path logs = PoolSession.logDirectory().resolve("soak-" + ProcessHandle.current().pid());
    long chosen = seed != null ? seed : System.currentTimeMillis();
    boolean clean =
        new Soak(Duration.ofMinutes(minutes), nodes, workers, jobs, chosen, jobBound, logs)
            .run(out);
    return clean ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static void between(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new UsageError(option + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
