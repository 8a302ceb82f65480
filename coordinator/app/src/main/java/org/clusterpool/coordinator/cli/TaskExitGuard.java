package org.clusterpool.coordinator.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.node.worker.JvmExit;

/**
 * The embedded pool runs tasks in the command's own JVM, so a task that calls {@code System.exit}
 * ends the command with the task's status (0 perhaps), its results lost and nothing said. This hook
 * runs as the JVM exits: when code other than clusterpool's called {@code System.exit}, it says who
 * in one line and ends the JVM with status 1. (In a worker JVM, the coordinator charges the input,
 * which fails alone after a few such ends: see {@code WorkerLeaving}.)
 *
 * <p>A task's fatal error (an {@code OutOfMemoryError}) does not end the command's JVM: the
 * embedded pool is the library's, which never ends its JVM on one ({@code config/embedded.conf}),
 * so the input fails with its one line and the command exits 1, as for any failed input. The Pekko
 * case below stays for an exit that does come from Pekko all the same.
 */
final class TaskExitGuard {
  private TaskExitGuard() {}

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /**
   * Set by {@link Main#main}: only a command's own JVM is guarded. A command run inside another
   * program (a test's JVM) must leave that program's exit alone.
   */
  private static volatile boolean enabled;

  static void enable() {
    enabled = true;
  }

  /** Guards this JVM from now on, if it is a command's own. */
  static void install() {
    if (!enabled || !INSTALLED.compareAndSet(false, true)) return;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> JvmExit.calledByOthers().ifPresent(TaskExitGuard::refuse),
                "clusterpool-task-exit-guard"));
  }

  private static void refuse(String caller) {
    PrintStream err = System.err;
    err.println(
        Echo.line(
            "clusterpool: the job was lost: its JVM was ended by a call of System.exit from "
                + caller
                + (caller.startsWith("org.apache.pekko.")
                    ? " (Pekko, after a fatal error such as an OutOfMemoryError in a task)"
                    : " (a task's code?)")
                + "; a task must not end its JVM: run it with --nodes N, where the input that"
                + " does so fails alone"));
    err.flush();
    Runtime.getRuntime().halt(ExitCodes.FAILED);
  }
}
