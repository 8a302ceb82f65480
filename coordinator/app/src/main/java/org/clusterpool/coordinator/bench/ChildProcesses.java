package org.clusterpool.coordinator.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Child processes of the bench: whole runs of a command, and JVMs started from this jar. */
final class ChildProcesses {
  private ChildProcesses() {}

  /** Wall time of the whole command, start-up included, with its output thrown away. */
  static double wholeRunSeconds(List<String> command) {
    long start = System.nanoTime();
    run(command, ProcessBuilder.Redirect.DISCARD);
    return (System.nanoTime() - start) / 1e9;
  }

  /** Runs the command to its end; returns what it printed on standard output if asked to. */
  static String run(List<String> command, ProcessBuilder.Redirect out) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .redirectOutput(out);
      Process process = builder.start();
      String text = "";
      if (out == ProcessBuilder.Redirect.PIPE) {
        try (InputStream in = process.getInputStream()) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish in 10 minutes");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed with exit code " + process.exitValue());
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A command that starts a JVM on this jar's class path, with the same JVM as this one. */
  static List<String> java(List<String> jvmOptions, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }
}
