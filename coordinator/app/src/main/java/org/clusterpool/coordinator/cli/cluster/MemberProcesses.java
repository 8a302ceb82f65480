package org.clusterpool.coordinator.cli.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.clusterpool.coordinator.connect.ClusterState;

/**
 * The JVMs of a cluster seen from another process (a later command): found by pid, and only when
 * the process is still the one that was started (same start instant) and is a clusterpool JVM (its
 * command line says so), so that a pid reused by someone else's process, or a state file that names
 * another process, never gets it signalled. What cannot be proven ours is not ours.
 */
final class MemberProcesses {
  private MemberProcesses() {}

  /**
   * The member's process, if it is alive and still ours; the pid of a JVM that ended may belong to
   * someone else by now.
   */
  static Optional<ProcessHandle> ours(ClusterState.Member member) {
    return started(member).filter(MemberProcesses::clusterpoolJvm);
  }

  /**
   * Whether the member's process still runs: the one started, by its start instant. Not whether it
   * runs clusterpool yet: a JVM just spawned shows its launcher's command line until it has exec'd,
   * and must not be taken for dead meanwhile. What gets a signal is checked for that too ({@link
   * #ours}).
   */
  static boolean alive(ClusterState.Member member) {
    return started(member).isPresent();
  }

  private static Optional<ProcessHandle> started(ClusterState.Member member) {
    if (!member.running()) return Optional.empty();
    return ProcessHandle.of(member.pid())
        .filter(ProcessHandle::isAlive)
        .filter(handle -> sameStart(handle, member));
  }

  private static boolean sameStart(ProcessHandle handle, ClusterState.Member member) {
    if (member.processStartMillis() <= 0) return false; // nothing to tell it by
    Optional<Instant> start = handle.info().startInstant();
    // the start instant comes from clock ticks: allow their rounding, not a different process
    return start
        .map(s -> Math.abs(s.toEpochMilli() - member.processStartMillis()) < 1000)
        .orElse(false);
  }

  /**
   * Whether the process runs clusterpool: its command line names clusterpool's main class, jar or
   * home. A process whose command line the system does not show (another user's) is not ours.
   */
  static boolean clusterpoolJvm(ProcessHandle handle) {
    return ClusterProcesses.commandLine(handle).contains("clusterpool");
  }

  /** When the process started, to tell it apart later; 0 when the system does not say. */
  static long startMillis(ProcessHandle handle) {
    return handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  /** SIGTERM: the JVM runs its coordinated shutdown and leaves the cluster. */
  static void terminate(ClusterState.Member member) {
    ours(member).ifPresent(ProcessHandle::destroy);
  }

  /** {@code kill -9}. */
  static void kill(ClusterState.Member member) {
    ours(member).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** Waits until the process is gone; true if it is. */
  static boolean awaitExit(ClusterState.Member member, Duration timeout) {
    Optional<ProcessHandle> handle = ours(member);
    if (handle.isEmpty()) return true;
    try {
      handle.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !handle.get().isAlive();
    } catch (ExecutionException e) {
      return !handle.get().isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.get().isAlive();
    }
  }
}
