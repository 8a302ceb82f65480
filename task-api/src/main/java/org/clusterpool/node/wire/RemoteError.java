package org.clusterpool.node.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * A failure as it crosses JVMs: the exception's type and message, where it happened, and its stack
 * as text. The exception object itself never travels: its class may not exist on the other side.
 *
 * <p>Its size is bounded whoever built it (the compact constructor cuts, and fills what is missing,
 * also when a message from another JVM is read): a task that throws a ten-megabyte message costs a
 * few kilobytes on the wire.
 */
public record RemoteError(String type, String message, String where, List<String> stack) {

  public static final int MAX_FRAMES = 40;
  public static final int MAX_MESSAGE = 2000;
  public static final int MAX_FRAME = 400;
  public static final int MAX_NAME = 300;

  public RemoteError {
    type = cut(type == null || type.isEmpty() ? "UnknownError" : type, MAX_NAME);
    message = cut(message == null ? "" : message, MAX_MESSAGE);
    where = cut(where == null ? "" : where, MAX_NAME);
    if (stack == null || stack.isEmpty()) {
      stack = List.of();
    } else {
      List<String> frames = new ArrayList<>(Math.min(stack.size(), MAX_FRAMES));
      for (String frame : stack) {
        if (frames.size() == MAX_FRAMES) break;
        if (frame != null) frames.add(cut(frame, MAX_FRAME));
      }
      stack = List.copyOf(frames);
    }
  }

  /**
   * The error as it travels. User code runs here (an exception may override {@code getMessage},
   * {@code toString}, {@code getCause} or {@code getStackTrace}, and throw from them): what throws
   * is said in the message instead, and never escapes to the worker that reports the error.
   */
  public static RemoteError of(Throwable error, String where) {
    String message;
    try {
      message = error.getMessage();
    } catch (Throwable t) {
      message = "its exception's getMessage() threw " + describe(t);
    }
    List<String> frames = new ArrayList<>();
    try {
      for (Throwable t = error; t != null && frames.size() < MAX_FRAMES; t = t.getCause()) {
        if (t != error) frames.add("Caused by: " + t);
        for (StackTraceElement element : t.getStackTrace()) {
          if (frames.size() >= MAX_FRAMES) break;
          frames.add("at " + element);
        }
        if (t.getCause() == t) break;
      }
    } catch (Throwable t) {
      frames.add("(the rest of its stack could not be read: " + describe(t) + ")");
    }
    return new RemoteError(error.getClass().getName(), message, where, frames);
  }

  /** {@code IllegalStateException: boom}, or the type alone when even its message throws. */
  public static String describe(Throwable t) {
    String simple =
        t.getClass().getSimpleName().isEmpty()
            ? t.getClass().getName()
            : t.getClass().getSimpleName();
    try {
      String message = t.getMessage();
      return message == null || message.isEmpty() ? simple : simple + ": " + message;
    } catch (Throwable again) {
      return simple;
    }
  }

  /** An error that did not come from an exception (a lost worker, a timeout). */
  public static RemoteError of(String type, String message, String where) {
    return new RemoteError(type, message, where, List.of());
  }

  /**
   * The same error without its stack: the errors of a unit after its first few keep their type and
   * message.
   */
  public RemoteError withoutStack() {
    return stack.isEmpty() ? this : new RemoteError(type, message, where, List.of());
  }

  /** {@code ArithmeticException: long overflow}: the type's simple name and the message. */
  public String summary() {
    String simple = type.substring(type.lastIndexOf('.') + 1);
    return message.isEmpty() ? simple : simple + ": " + message;
  }

  /** The text cut to {@code max} characters, saying how long it was. */
  static String cut(String text, int max) {
    if (text.length() <= max) return text;
    String suffix = "… (" + text.length() + " characters)";
    return text.substring(0, Math.max(0, max - suffix.length())) + suffix;
  }
}
