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
    refuseWhatNoDemoHonours();
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
    demo.run(
        new DemoContext(
            out, pool.workers(), pool.nodes(), pool.tasks.given(), quick, pool.dashboards()));
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * Every demo starts the pool or the JVMs it measures (embedded, or {@code --nodes N} on this
   * machine): none runs on a cluster it is given, so {@code --connect} and its companions are
   * refused rather than ignored, and so is {@code --dashboard-port} without {@code --dashboard}, as
   * map refuses it.
   */
  private void refuseWhatNoDemoHonours() {
    if (pool.connect != null)
      throw new UsageError(
          "demo does not take --connect: each demo starts the pool it measures, in this JVM or"
              + " on --nodes N worker JVMs of this machine; on a running cluster use map, apply"
              + " or gather --connect");
    if (pool.caFile != null)
      throw new UsageError(
          "--ca-file goes with --connect, which demo does not take: each demo starts its own"
              + " pool");
    pool.remote(); // --dashboard-port without --dashboard, a port out of range, --token-file
  }
}
