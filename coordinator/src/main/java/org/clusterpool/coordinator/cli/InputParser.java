package org.clusterpool.coordinator.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusterpool.coordinator.pool.Inputs;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.ValueType;
import org.clusterpool.node.task.ValueTypes;

/**
 * Reads the INPUTS of {@code map}: values ({@code 7}), inclusive ranges ({@code 1..100}), comma lists
 * ({@code 1,2,3}), {@code @FILE} (one input a line) and {@code -} (standard input, one a line). Every
 * input is parsed and validated by the task before any work starts.
 */
final class InputParser {
  static final String ACCEPTED =
      "INPUTS are values, ranges like 1..100, comma lists like 1,2,3, @FILE or - (one input a line)";

  private static final Pattern RANGE = Pattern.compile("^(-?[0-9][0-9_]*)\\.\\.(-?[0-9][0-9_]*)$");

  private final int maxInputs;
  private final int maxTextLength;

  InputParser(int maxInputs, int maxTextLength) {
    this.maxInputs = maxInputs;
    this.maxTextLength = maxTextLength;
  }

  <I> List<I> parse(Task<I, ?> task, List<String> tokens) {
    if (tokens == null || tokens.isEmpty()) throw new UsageError("no inputs given for task '" + task.name() + "': " + ACCEPTED);
    ValueType<I> type = task.inputType();
    boolean numeric = type == ValueTypes.LONG || type == ValueTypes.DOUBLE;
    if (tokens.size() == 1 && type == ValueTypes.LONG) {
      Matcher range = RANGE.matcher(tokens.get(0).strip());
      if (range.matches()) {
        @SuppressWarnings("unchecked")
        List<I> inputs = (List<I>) range(task, tokens.get(0), range);
        validateRange((Task<Long, ?>) task, (List<Long>) inputs);
        return inputs;
      }
    }
    List<I> inputs = new ArrayList<>();
    for (String token : tokens) {
      if (token.equals("-")) {
        readLines(task, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "standard input", inputs);
      } else if (token.startsWith("@") && token.length() > 1) {
        readFile(task, Path.of(token.substring(1)), inputs);
      } else if (numeric && RANGE.matcher(token.strip()).matches()) {
        Matcher range = RANGE.matcher(token.strip());
        range.matches();
        for (long x : range(task, token, range)) add(task, type.parse(Long.toString(x)), token, inputs);
      } else if (numeric && token.contains(",")) {
        for (String part : token.split(",")) {
          if (!part.isBlank()) add(task, parseOne(task, part.strip()), part, inputs);
        }
      } else {
        add(task, parseOne(task, token), token, inputs);
      }
    }
    if (inputs.isEmpty()) throw new UsageError("no inputs given for task '" + task.name() + "': " + ACCEPTED);
    return inputs;
  }

  private List<Long> range(Task<?, ?> task, String token, Matcher range) {
    long first;
    long last;
    try {
      first = Long.parseLong(range.group(1).replace("_", ""));
      last = Long.parseLong(range.group(2).replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageError("range '" + token + "' has a bound that is not a 64-bit integer");
    }
    if (last < first) throw new UsageError("range '" + token + "' is empty: write FIRST..LAST with FIRST <= LAST");
    if (last - first >= Integer.MAX_VALUE || last - first < 0) {
      throw new UsageError("range '" + token + "' is too long: at most " + Integer.MAX_VALUE + " inputs in one job");
    }
    return Inputs.range(first, last);
  }

  private static void validateRange(Task<Long, ?> task, List<Long> range) {
    for (Long x : range) {
      try {
        task.validate(x);
      } catch (IllegalArgumentException e) {
        throw new UsageError("input " + x + " is refused: " + e.getMessage());
      }
    }
  }

  private <I> I parseOne(Task<I, ?> task, String text) {
    try {
      return task.inputType().parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageError("cannot read input '" + text + "' for task '" + task.name() + "': " + e.getMessage()
          + "; " + ACCEPTED);
    }
  }

  private <I> void add(Task<I, ?> task, I input, String token, List<I> inputs) {
    if (inputs.size() >= maxInputs) {
      throw new UsageError("too many inputs: at most " + maxInputs
          + " listed inputs (clusterpool.input.max-inline-inputs); a range like 1..N has no such limit");
    }
    if (input instanceof String text && text.length() > maxTextLength) {
      throw new UsageError("input of " + text.length() + " characters is too long: at most " + maxTextLength
          + " (clusterpool.input.max-text-length)");
    }
    try {
      task.validate(input);
    } catch (IllegalArgumentException e) {
      throw new UsageError("input '" + token + "' is refused: " + e.getMessage());
    }
    inputs.add(input);
  }

  private <I> void readFile(Task<I, ?> task, Path path, List<I> inputs) {
    try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      readLines(task, reader, path.toString(), inputs);
    } catch (NoSuchFileException e) {
      throw new UsageError("cannot read inputs from '" + path + "': no such file");
    } catch (IOException e) {
      throw new UsageError("cannot read inputs from '" + path + "': " + e.getMessage());
    }
  }

  private <I> void readLines(Task<I, ?> task, BufferedReader reader, String source, List<I> inputs) {
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) add(task, parseOne(task, line.strip()), line.strip(), inputs);
      }
    } catch (IOException e) {
      throw new UsageError("cannot read inputs from " + source + ": " + e.getMessage());
    }
  }
}
