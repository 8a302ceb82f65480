package org.clusterpool.exercises.student;

/** A student's class that cannot be used: the message is one line that names the problem. */
public final class SolutionLoadException extends RuntimeException {
  SolutionLoadException(String message) {
    super(message, null, false, false);
  }
}
