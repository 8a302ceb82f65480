package org.clusterpool.coordinator.input;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code 1s}, {@code 500ms}, {@code 2m}, {@code 1.5} (seconds) as a positive duration, for
 * the command line and the API.
 */
public final class Durations {
  private Durations() {}

  private static final Pattern DURATION = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)?$");

  public static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches())
      throw new InputError(
          "expected a duration like 1s, 500ms, 2m or 1.5 (seconds), got " + Echo.quote(text));
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double seconds =
        switch (unit) {
          case "ms" -> amount / 1000;
          case "m" -> amount * 60;
          case "h" -> amount * 3600;
          default -> amount;
        };
    return ofSeconds(seconds, text);
  }

  /** A number of seconds, as JSON gives it. */
  public static Duration ofSeconds(double seconds, String text) {
    if (!(seconds >= 0.001) || seconds > 7 * 24 * 3600) {
      throw new InputError("expected a duration between 1ms and 7 days, got " + Echo.quote(text));
    }
    return Duration.ofNanos((long) (seconds * 1e9));
  }
}
