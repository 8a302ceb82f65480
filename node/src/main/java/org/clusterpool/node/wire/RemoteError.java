package org.clusterpool.node.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * A failure as it crosses JVMs: the exception's type and message, where it happened, and its stack as
 * text. The exception object itself never travels: its class may not exist on the other side.
 */
public record RemoteError(String type, String message, String where, List<String> stack) {

  private static final int MAX_FRAMES = 40;

  public static RemoteError of(Throwable error, String where) {
    List<String> frames = new ArrayList<>();
    for (Throwable t = error; t != null && frames.size() < MAX_FRAMES; t = t.getCause()) {
      if (t != error) frames.add("Caused by: " + t);
      for (StackTraceElement element : t.getStackTrace()) {
        if (frames.size() >= MAX_FRAMES) break;
        frames.add("at " + element);
      }
      if (t.getCause() == t) break;
    }
    String message = error.getMessage() == null ? "" : error.getMessage();
    return new RemoteError(error.getClass().getName(), message, where, List.copyOf(frames));
  }

  /** An error that did not come from an exception (a lost worker, a timeout). */
  public static RemoteError of(String type, String message, String where) {
    return new RemoteError(type, message, where, List.of());
  }

  /** {@code ArithmeticException: long overflow}: the type's simple name and the message. */
  public String summary() {
    String simple = type.substring(type.lastIndexOf('.') + 1);
    return message.isEmpty() ? simple : simple + ": " + message;
  }
}
