package org.clusterpool.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JvmExitTest {

  private static StackTraceElement frame(String owner, String method) {
    return new StackTraceElement(owner, method, owner + ".java", 7);
  }

  @Test
  void aTaskThatCallsSystemExitIsNamedAsTheCaller() {
    StackTraceElement[] stack = {
      frame("java.lang.Thread", "join"),
      frame("java.lang.ApplicationShutdownHooks", "runHooks"),
      frame("java.lang.Shutdown", "exit"),
      frame("java.lang.Runtime", "exit"),
      frame("java.lang.System", "exit"),
      frame("com.example.Exiter", "apply"),
      frame("org.clusterpool.node.worker.UnitRunner", "run")
    };
    assertEquals("com.example.Exiter", JvmExit.exitCaller(stack).orElseThrow().getClassName());
    assertFalse(JvmExit.signalled(stack));
  }

  /**
   * Clusterpool's own exit is no other caller, even when the look at the stacks began before it set
   * its flag: a command's normal end was once reported as a crash, naming JvmExit.exit.
   */
  @Test
  void clusterpoolsOwnExitIsNoCaller() {
    StackTraceElement[] stack = {
      frame("java.lang.Shutdown", "exit"),
      frame("java.lang.Runtime", "exit"),
      frame("java.lang.System", "exit"),
      frame("org.clusterpool.node.worker.JvmExit", "exit"),
      frame("org.clusterpool.coordinator.cli.Main", "main")
    };
    assertTrue(JvmExit.exitCaller(stack).isEmpty());
    assertFalse(JvmExit.signalled(stack));
  }

  @Test
  void aSignalIsNoCallerAndIsToldApart() {
    StackTraceElement[] stack = {
      frame("java.lang.Thread", "join"),
      frame("java.lang.ApplicationShutdownHooks", "runHooks"),
      frame("java.lang.Shutdown", "exit"),
      frame("java.lang.Runtime", "exit"),
      frame("java.lang.Terminator$1", "handle"),
      frame("jdk.internal.misc.Signal$1", "run"),
      frame("java.lang.Thread", "run")
    };
    assertTrue(JvmExit.exitCaller(stack).isEmpty());
    assertTrue(JvmExit.signalled(stack));
  }

  @Test
  void aThreadThatIsNotExitingIsNoCaller() {
    assertTrue(JvmExit.exitCaller(Thread.currentThread().getStackTrace()).isEmpty());
    assertTrue(JvmExit.calledByOthers().isEmpty(), "this JVM is not exiting");
    assertTrue(JvmExit.exitingOnSignal().isEmpty(), "this JVM is not exiting");
  }
}
