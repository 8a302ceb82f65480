package org.clusterpool.node.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A supervised worker JVM that ended, as its supervisor saw it: how it ended, how long it had run,
 * what became of its member, whether a replacement comes (and after what delay), and the last lines
 * of its log, which usually say why a JVM that keeps dying at start does.
 *
 * @param pid {@link #NOT_STARTED} when the JVM could not even be started (then {@code logTail} says
 *     why)
 * @param code the process's exit code; on Unix 128 + N for a process ended by signal N (137:
 *     SIGKILL)
 * @param restartDelay empty when no replacement comes (restarts are off, or supervision is
 *     stopping)
 */
public record NodeExit(
    String name,
    long pid,
    int port,
    int code,
    Instant at,
    Duration uptime,
    MemberDowning.Outcome member,
    Optional<Duration> restartDelay,
    List<String> logTail) {

  public static final long NOT_STARTED = -1;

  public NodeExit {
    logTail = List.copyOf(logTail);
  }

  /**
   * {@code code 137 / killed}: the exit code, with the signal it stands for when it stands for one.
   */
  public String cause() {
    if (pid == NOT_STARTED) return "could not be started";
    return describe(code);
  }

  public static String describe(int code) {
    if (code <= 128 || code > 128 + 64) return "code " + code;
    int signal = code - 128;
    String name =
        switch (signal) {
          case 9 -> "killed";
          case 15 -> "terminated (SIGTERM)";
          case 6 -> "aborted (SIGABRT)";
          case 11 -> "crashed (SIGSEGV)";
          case 2 -> "interrupted (SIGINT)";
          case 1 -> "hung up (SIGHUP)";
          default -> "signal " + signal;
        };
    return "code " + code + " / " + name;
  }

  public boolean replaced() {
    return restartDelay.isPresent();
  }

  /**
   * {@code worker-node-2 (pid 4242, port 25522) exited (code 137 / killed) after 12.0 s: downed at
   * once, starting a replacement in 0.5 s}: the pid and the port name the process and the member it
   * was.
   */
  public String summary(String notReplaced) {
    String what =
        pid == NOT_STARTED
            ? name + " could not be started"
            : name
                + " (pid "
                + pid
                + ", port "
                + port
                + ") exited ("
                + cause()
                + ") after "
                + seconds(uptime);
    String next =
        restartDelay.map(d -> "starting a replacement in " + seconds(d)).orElse(notReplaced);
    return what + ": " + member.phrase() + ", " + next;
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
