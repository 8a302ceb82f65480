package org.clusterpool.coordinator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code bench/peers.py} with python3, the peers measured in the same run as clusterpool. */
final class PythonPeers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path script;
  private final String python;

  private PythonPeers(String python, Path script) {
    this.python = python;
    this.script = script;
  }

  /** The peers, or null when python3 is not on this machine. */
  static PythonPeers find() {
    String python = System.getenv().getOrDefault("CLUSTERPOOL_PYTHON", "python3");
    try {
      Process probe = new ProcessBuilder(python, "--version").redirectErrorStream(true).start();
      if (!probe.waitFor(10, TimeUnit.SECONDS) || probe.exitValue() != 0) return null;
      Path dir = Files.createTempDirectory("clusterpool-bench");
      dir.toFile().deleteOnExit();
      Path script = dir.resolve("peers.py");
      try (InputStream in = PythonPeers.class.getResourceAsStream("/bench/peers.py")) {
        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      }
      script.toFile().deleteOnExit();
      return new PythonPeers(python, script);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Runs one peers.py command and returns the JSON object it printed. */
  JsonNode run(String... args) {
    List<String> command = new ArrayList<>(List.of(python, script.toString()));
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "python3 peers.py " + String.join(" ", args) + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "python3 peers.py "
                + String.join(" ", args)
                + " failed with exit code "
                + process.exitValue());
      }
      return JSON.readTree(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(
          "python3 peers.py " + String.join(" ", args) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The median of {@code field} over {@code times} runs of one command. */
  double median(String field, int times, String... args) {
    double[] samples = new double[times];
    for (int i = 0; i < times; i++) samples[i] = run(args).get(field).asDouble();
    return Samples.median(samples);
  }

  /** The wall time of a whole python3 run, output discarded, start-up included. */
  double wholeRunSeconds(String... args) {
    List<String> command = new ArrayList<>(List.of(python, script.toString()));
    command.addAll(List.of(args));
    return ChildProcesses.wholeRunSeconds(command);
  }
}
