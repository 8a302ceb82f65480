package org.clusterpool.node.launcher;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JVM this program started. {@link #stop} asks it to leave (SIGTERM: its coordinated shutdown
 * leaves the cluster), then kills it if it does not go in time; {@link #kill}, {@link #freeze} and
 * {@link #resume} are the faults of the demos and tests (SIGKILL, SIGSTOP, SIGCONT).
 */
public final class JvmProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final JvmSpec spec;

  JvmProcess(String name, Process process, JvmSpec spec) {
    this.name = name;
    this.process = process;
    this.spec = spec;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public JvmSpec spec() {
    return spec;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, once the JVM has ended. */
  public int exitCode() {
    return process.exitValue();
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  /**
   * Completes when the JVM has ended, whatever ended it: this program reaps its children, so it
   * hears at once.
   */
  public CompletableFuture<JvmProcess> onExit() {
    return process.onExit().thenApply(p -> this);
  }

  /**
   * When the process started, in epoch millis (0 when the system does not say): with the pid, it
   * tells this process apart from a later one that got the same pid.
   */
  public long startMillis() {
    return process.toHandle().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /** SIGTERM without waiting: the JVM runs its coordinated shutdown and leaves its cluster. */
  public void terminate() {
    process.destroy();
  }

  /**
   * Asks the JVM to stop (it leaves its cluster on the way) and waits; kills it if it outlasts
   * {@code grace}.
   */
  public boolean stop(Duration grace) {
    if (!process.isAlive()) return true;
    process.destroy();
    if (waitFor(grace)) return true;
    process.destroyForcibly();
    return waitFor(Duration.ofSeconds(10));
  }

  /** {@code kill -9}: the JVM is gone at once, without a word to anyone. */
  public void kill() {
    process.destroyForcibly();
    waitFor(Duration.ofSeconds(10));
  }

  /** {@code kill -STOP}: the JVM stops answering, as a frozen or swapped-out process does. */
  public void freeze() {
    signal("STOP");
  }

  /** {@code kill -CONT}. */
  public void resume() {
    signal("CONT");
  }

  public boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void signal(String signal) {
    try {
      // what kill says (the JVM ended meanwhile) belongs in the exception, not on the user's
      // terminal
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        kill.destroyForcibly();
        String said =
            new String(
                    kill.getInputStream().readNBytes(300), java.nio.charset.StandardCharsets.UTF_8)
                .strip();
        throw new IllegalStateException(
            "kill -"
                + signal
                + " "
                + process.pid()
                + " failed"
                + (said.isEmpty() ? "" : ": " + said));
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "kill -" + signal + " " + process.pid() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the JVM, killing it if need be: a started process never outlives its owner by accident.
   */
  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
