package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.bench.Bench;
import org.clusterpool.coordinator.input.Echo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "bench",
    description = {
      "Measure clusterpool beside python3's multiprocessing and asyncio and plain Java executors,"
          + " in one run.",
      "Without SCENARIO, runs them all (a few minutes)."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "SCENARIO",
      description = "Scenarios to run (see --list).")
  List<String> scenarios = List.of();

  @Option(names = "--list", description = "List the scenarios and exit.")
  boolean list;

  @Option(names = "--quick", description = "Fewer repetitions: rougher figures, sooner.")
  boolean quick;

  @Option(names = "--no-python", description = "Do not run the python3 peers.")
  boolean noPython;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (list) {
      Bench.describe().forEach(out::println);
      out.flush();
      return ExitCodes.OK;
    }
    for (String name : scenarios) {
      if (!Bench.names().contains(name)) {
        throw new UsageError(
            "unknown scenario "
                + Echo.quote(name)
                + ": accepted: "
                + String.join(", ", Bench.names()));
      }
    }
    Bench.run(scenarios, quick, !noPython, out, spec.commandLine().getErr());
    return ExitCodes.OK;
  }
}
