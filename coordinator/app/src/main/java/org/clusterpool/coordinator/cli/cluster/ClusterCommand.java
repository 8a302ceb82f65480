package org.clusterpool.coordinator.cli.cluster;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code clusterpool cluster up | status | add | kill | down}: a cluster of JVMs on this machine
 * that outlives the command.
 */
@Command(
    name = "cluster",
    description = {
      "A cluster of JVMs on this machine, in the background: a coordinator (with the HTTP API) and"
          + " worker nodes.",
      "Later commands find it through its state file: map ... --connect submits to it."
    },
    subcommands = {
      UpCommand.class,
      StatusCommand.class,
      AddCommand.class,
      KillCommand.class,
      DownCommand.class,
      TokenCommand.class,
      DashboardCommand.class
    })
public final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "give what to do: up N, status, add N, kill I or down");
  }

  /** How the user runs this program: {@code bin/clusterpool} when the script started it. */
  static String program() {
    return System.getProperty("clusterpool.home") != null ? "bin/clusterpool" : "clusterpool";
  }
}
