package org.clusterpool.coordinator.cli;

import java.time.Duration;
import org.clusterpool.coordinator.input.Durations;
import org.clusterpool.coordinator.input.InputError;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 1s}, {@code 500ms}, {@code 2m}, {@code 1.5} (seconds) as a positive duration. */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String text) {
    try {
      return Durations.parse(text);
    } catch (InputError e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
