package org.clusterpool.node.worker;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Why this JVM is exiting, as its threads show it while its shutdown hooks run: the thread that
 * called {@code System.exit} waits inside {@code Shutdown.exit} until they end. A signal (SIGTERM,
 * SIGINT: an operator, Kubernetes, the launcher stopping a node) exits from the JDK's own signal
 * handler, and clusterpool's own exits (a command that ends, a node that left its cluster) go
 * through {@link #exit}; any other caller is code of this JVM ending it (a task's {@code
 * System.exit}, or Pekko's handler of a fatal error such as an {@code OutOfMemoryError}), which a
 * pool counts as a crash.
 */
public final class JvmExit {
  private JvmExit() {}

  /** Set by clusterpool's own exits, before they call {@code System.exit}. */
  private static volatile boolean own;

  /** How clusterpool's own code ends its JVM: known from a task's {@code System.exit}. */
  public static void exit(int status) {
    own = true;
    System.exit(status);
  }

  /**
   * The code that called {@code System.exit} ({@code a.B.c(B.java:3)}), when this JVM is exiting on
   * a call by code other than clusterpool's own exits ({@link #exit}); empty when it is not
   * exiting, or exits on a signal or on clusterpool's call.
   */
  public static Optional<String> calledByOthers() {
    if (own) return Optional.empty();
    for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
      Optional<StackTraceElement> caller = exitCaller(thread.getValue());
      if (caller.isPresent()) return caller.map(JvmExit::describe);
    }
    return Optional.empty();
  }

  /**
   * The exit status of the signal this JVM exits on (130 for SIGINT, 143 for SIGTERM, 129 for
   * SIGHUP: the JDK's handler called {@code exit}), as seen from one of its shutdown hooks; empty
   * when it is not exiting on one.
   */
  public static OptionalInt exitingOnSignal() {
    if (own) return OptionalInt.empty(); // clusterpool's own exit: no look at every thread
    for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
      if (signalled(thread.getValue())) return OptionalInt.of(status(thread.getKey().getName()));
    }
    return OptionalInt.empty();
  }

  /**
   * 128 and the signal's number, from the name of the thread that handles it ("SIGINT handler").
   */
  private static int status(String handler) {
    if (handler.startsWith("SIGTERM")) return 128 + 15;
    if (handler.startsWith("SIGHUP")) return 128 + 1;
    return 128 + 2;
  }

  /** Whether this stack is the JDK's signal handler, inside {@code Shutdown.exit}. */
  static boolean signalled(StackTraceElement[] stack) {
    boolean exiting = false;
    for (StackTraceElement frame : stack) {
      if (frame.getClassName().equals("java.lang.Shutdown") && frame.getMethodName().equals("exit"))
        exiting = true;
      else if (exiting && bySignal(frame)) return true;
    }
    return false;
  }

  private static boolean bySignal(StackTraceElement frame) {
    return frame.getClassName().startsWith("java.lang.Terminator")
        || frame.getClassName().startsWith("jdk.internal.misc.Signal");
  }

  /**
   * The frame that called {@code Runtime.exit} in this stack; empty when there is none, or when a
   * signal's handler did.
   */
  static Optional<StackTraceElement> exitCaller(StackTraceElement[] stack) {
    for (int i = 0; i < stack.length; i++) {
      if (!stack[i].getClassName().equals("java.lang.Shutdown")
          || !stack[i].getMethodName().equals("exit")) continue;
      for (StackTraceElement frame : stack) {
        if (bySignal(frame)) return Optional.empty();
      }
      for (int j = i + 1; j < stack.length; j++) {
        String owner = stack[j].getClassName();
        // clusterpool's own exit, seen by a look that began before it set its flag
        if (owner.equals(JvmExit.class.getName())) return Optional.empty();
        if (!owner.equals("java.lang.Runtime") && !owner.equals("java.lang.System"))
          return Optional.of(stack[j]);
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** A frame as a stack trace shows it: {@code a.B.c(B.java:3)}. */
  public static String describe(StackTraceElement frame) {
    return frame.getClassName()
        + "."
        + frame.getMethodName()
        + "("
        + frame.getFileName()
        + ":"
        + frame.getLineNumber()
        + ")";
  }
}
