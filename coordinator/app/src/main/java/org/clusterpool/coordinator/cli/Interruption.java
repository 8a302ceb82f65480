package org.clusterpool.coordinator.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.PrintStream;
import java.util.OptionalInt;
import org.clusterpool.node.worker.JvmExit;
import org.slf4j.LoggerFactory;

/**
 * A command that a signal stops (Ctrl-C, SIGTERM, a closed terminal) says so in one line, and
 * nothing else: its parts stopping would each say something that reads as a fault (the worker JVMs
 * that had the same Ctrl-C "exited (code 130)", Pekko's warnings as its system ends while it
 * starts, a chunk that "runs again" when nothing will run again, the failure of the job the signal
 * cut short). The JVM's exit status says the rest: 130 for Ctrl-C, 143 for SIGTERM.
 */
final class Interruption {
  private Interruption() {}

  private static volatile boolean ending;

  /** The exit status of the signal, once known; Ctrl-C's until then. */
  private static volatile int status = 128 + 2;

  /**
   * From now on, a signal that ends this JVM is told in one line. Only in a command's own JVM
   * ({@link Main#main}): a command run inside another program (a test's JVM) leaves that program's
   * signals alone.
   */
  static void install() {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(Interruption::exiting, "clusterpool-interruption"));
  }

  /**
   * True once this JVM began to end while the command still ran: on a signal, or a task's {@code
   * System.exit} ({@link TaskExitGuard} says that one). What the command would still say is noise.
   */
  static boolean ending() {
    return ending;
  }

  /** The status this JVM ends with, once {@link #ending()}: the signal's. */
  static int status() {
    return status;
  }

  private static void exiting() {
    // first, and at once: the other hooks (Pekko's) begin to stop the pool at the same moment, and
    // looking for the signal below takes a look at every thread
    ending = true;
    // errors of clusterpool's own still show (a JVM it could not stop); the libraries' say only
    // that they are stopping
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
      context.getLogger("org.clusterpool").setLevel(Level.ERROR);
    }
    OptionalInt signal = JvmExit.exitingOnSignal();
    if (signal.isPresent()) {
      status = signal.getAsInt();
      PrintStream err = System.err;
      err.println(
          "clusterpool: interrupted by "
              + (status == 128 + 15 ? "SIGTERM" : status == 128 + 1 ? "SIGHUP" : "SIGINT")
              + ": the command stops unfinished");
      err.flush();
    }
  }
}
