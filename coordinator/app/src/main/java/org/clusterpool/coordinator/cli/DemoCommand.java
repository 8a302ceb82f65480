package org.clusterpool.coordinator.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.clusterpool.coordinator.demo.Demo;
import org.clusterpool.coordinator.demo.DemoContext;
import org.clusterpool.coordinator.demo.Demos;
import org.clusterpool.coordinator.input.Echo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "demo", description = "Run one of the course's examples; without NAME, list them.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The demo to run.")
  String name;

  @Option(
      names = "--quick",
      description =
          "Measure less: a shorter, rougher run of the demos that time things (gil,"
              + " concurrency-advice).")
  boolean quick;

  @Mixin PoolOptions pool = new PoolOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (name == null) {
      for (Demo demo : Demos.all()) out.printf("%-20s %s%n", demo.name(), demo.summary());
      out.flush();
      return ExitCodes.OK;
    }
    Demo demo =
        Demos.find(name)
            .orElseThrow(
                () ->
                    new UsageError(
                        "unknown demo "
                            + Echo.quote(name)
                            + ": accepted: "
                            + String.join(", ", Demos.names())));
    pool.tasks.catalog(); // the tasks load (or say what is wrong with them) before any demo starts
    if (pool.dashboard)
      pool.remote(); // --dashboard does not go with --connect: a demo's dashboard is of its own
    // pool
    demo.run(
        new DemoContext(
            out, pool.workers(), pool.nodes(), pool.tasks.given(), quick, pool.dashboards()));
    out.flush();
    return ExitCodes.OK;
  }
}
