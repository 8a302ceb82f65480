package org.clusterpool.coordinator.cli.cluster;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.clusterpool.coordinator.cli.ExitCodes;
import org.clusterpool.coordinator.cli.UsageError;
import org.clusterpool.coordinator.connect.ClusterState;
import org.clusterpool.coordinator.connect.CommandFailure;
import org.clusterpool.coordinator.connect.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cluster kill I}: {@code kill -9} of worker node I's JVM, for fault demos. The coordinator
 * JVM, which started it, sees it end: it downs its member at once and starts a replacement (not
 * with {@code --no-restart}); this command waits a moment for it to record the end, and says what
 * it did.
 */
@Command(
    name = "kill",
    description =
        "kill -9 of worker node I (its number in 'cluster status'): no goodbye, for fault demos;"
            + " the coordinator JVM downs it at once and replaces it.")
final class KillCommand implements Callable<Integer> {
  /**
   * The coordinator records an end within milliseconds; a busy machine may take longer, and then
   * the note is general.
   */
  private static final Duration RECORDED = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "I",
      description = "The worker node's number, as 'cluster status' shows it.")
  int number;

  @Override
  public Integer call() {
    ClusterState state = RunningCluster.require();
    ClusterState.Member node =
        state.workers().stream()
            .filter(m -> m.number() == number)
            .findFirst()
            .orElseThrow(
                () ->
                    new UsageError(
                        "no worker node "
                            + number
                            + ": the worker nodes are "
                            + (state.workers().isEmpty()
                                ? "none"
                                : state.workers().stream()
                                    .map(m -> Integer.toString(m.number()))
                                    .collect(Collectors.joining(", ")))
                            + " (see '"
                            + ClusterCommand.program()
                            + " cluster status')"));
    if (!MemberProcesses.alive(node)) {
      throw new CommandFailure(
          node.name()
              + " has no JVM running now ("
              + node.status()
              + "); see '"
              + ClusterCommand.program()
              + " cluster status'");
    }
    MemberProcesses.kill(node);
    if (!MemberProcesses.awaitExit(node, Duration.ofSeconds(10))) {
      throw new CommandFailure(
          node.name() + " (pid " + node.pid() + ") did not die of SIGKILL within 10 s");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "killed "
            + node.name()
            + " (pid "
            + node.pid()
            + ", "
            + node.address()
            + ") with SIGKILL (kill -9): it said no goodbye.");
    String status = "'" + ClusterCommand.program() + " cluster status' shows it";
    Optional<ClusterState.Exit> seen = recorded(node);
    if (seen.isPresent()) {
      ClusterState.Exit exit = seen.get();
      out.println(
          "The coordinator JVM, which started it, saw it end ("
              + exit.cause()
              + "): "
              + exit.member()
              + (exit.member().startsWith("downed")
                  ? ", so the chunks it held run again on the other workers now"
                  : "")
              + "; "
              + (exit.replaced()
                  ? "a new JVM takes its place in "
                      + ClusterReport.seconds(Duration.ofMillis(exit.restartDelayMillis()))
                      + "; "
                      + status
                      + "."
                  : "it is not replaced (the cluster runs with --no-restart): '"
                      + ClusterCommand.program()
                      + " cluster add 1' starts another; "
                      + status
                      + "."));
    } else {
      out.println(
          "The coordinator JVM, which started it, has not recorded its end yet: it downs its member"
              + " and "
              + (state.restart() ? "starts a replacement" : "does not replace it (--no-restart)")
              + "; "
              + status
              + ".");
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** How the coordinator recorded the end of this JVM, once it has (within a bound). */
  private static Optional<ClusterState.Exit> recorded(ClusterState.Member killed) {
    long deadline = System.nanoTime() + RECORDED.toNanos();
    while (true) {
      Optional<ClusterState.Exit> exit =
          StateFile.read()
              .flatMap(s -> s.member(killed.name()))
              .flatMap(ClusterState.Member::lastExit)
              .filter(e -> e.pid() == killed.pid());
      if (exit.isPresent() || System.nanoTime() > deadline) return exit;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }
}
