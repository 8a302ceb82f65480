package org.clusterpool.coordinator.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 1s}, {@code 500ms}, {@code 2m}, {@code 1.5} (seconds) as a positive duration. */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern DURATION = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)?$");

  @Override
  public Duration convert(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) throw new TypeConversionException("expected a duration like 1s, 500ms, 2m or 1.5 (seconds), got '" + text + "'");
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double seconds = switch (unit) {
      case "ms" -> amount / 1000;
      case "m" -> amount * 60;
      case "h" -> amount * 3600;
      default -> amount;
    };
    if (seconds <= 0 || seconds > 7 * 24 * 3600) {
      throw new TypeConversionException("expected a duration between 1ms and 7 days, got '" + text + "'");
    }
    return Duration.ofNanos((long) (seconds * 1e9));
  }
}
