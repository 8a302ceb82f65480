package org.clusterpool.coordinator.input;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Reads the INPUTS of a job: values ({@code 7}), inclusive ranges ({@code 1..100}), comma lists
 * ({@code 1,2,3}), and on the command line {@code @FILE} (one input a line) and {@code -} (standard input,
 * one a line). Every input is parsed and validated by the task before any work starts. The command line and
 * the HTTP API read inputs with these same rules, so that the same mistake gets the same message.
 */
public final class InputParser {
  public static final String ACCEPTED =
      "INPUTS are values, ranges like 1..100, comma lists like 1,2,3, @FILE or - (one input a line)";

  private static final Pattern RANGE = Pattern.compile("^(-?[0-9][0-9_]*)\\.\\.(-?[0-9][0-9_]*)$");

  private final int maxInputs;
  private final int maxTextLength;
  /** False in the HTTP API: a server never reads its own files or standard input for a client. */
  private final boolean readsFiles;
  /** The HTTP API keeps every result of a job: it bounds the inputs of one job, ranges included. */
  private final long maxTotal;

  private InputParser(int maxInputs, int maxTextLength, boolean readsFiles, long maxTotal) {
    this.maxInputs = maxInputs;
    this.maxTextLength = maxTextLength;
    this.readsFiles = readsFiles;
    this.maxTotal = maxTotal;
  }

  /** The command line's parser: files and standard input allowed, ranges of any length. */
  public static InputParser forCommandLine(InputLimits limits) {
    return new InputParser(limits.maxInputs(), limits.maxTextLength(), true, Long.MAX_VALUE);
  }

  /** The HTTP API's parser: no files, no standard input, and at most {@code maxResults} inputs in a job. */
  public static InputParser forApi(InputLimits limits, long maxResults) {
    return new InputParser(limits.maxInputs(), limits.maxTextLength(), false, maxResults);
  }

  /** Whether these tokens are one range of integers, which {@link #parse} keeps as a range (never listed). */
  public static boolean isSingleRange(Task<?, ?> task, List<String> tokens) {
    return tokens != null && tokens.size() == 1 && task.inputType() == ValueTypes.LONG
        && RANGE.matcher(tokens.get(0).strip()).matches();
  }

  /** Reads command-line tokens; a single range of integers stays a range (sent as two numbers, never listed). */
  public <I> List<I> parse(Task<I, ?> task, List<String> tokens) {
    if (tokens == null || tokens.isEmpty()) throw new InputError("no inputs given for task '" + task.name() + "': " + ACCEPTED);
    ValueType<I> type = task.inputType();
    boolean numeric = type == ValueTypes.LONG || type == ValueTypes.DOUBLE;
    if (isSingleRange(task, tokens)) {
      Matcher range = RANGE.matcher(tokens.get(0).strip());
      if (range.matches()) {
        List<Long> inputs = range(task, tokens.get(0), range);
        @SuppressWarnings("unchecked") // the input type is LONG: the task takes Longs
        Task<Long, ?> longTask = (Task<Long, ?>) task;
        validateRange(longTask, inputs);
        @SuppressWarnings("unchecked")
        List<I> typed = (List<I>) (List<?>) inputs;
        return typed;
      }
    }
    List<I> inputs = new ArrayList<>();
    for (String token : tokens) {
      if (token.equals("-") || (token.startsWith("@") && token.length() > 1)) {
        if (!readsFiles) throw new InputError(noFiles("input", token));
        if (token.equals("-")) {
          readLines(task, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "standard input", inputs);
        } else {
          readFile(task, Path.of(token.substring(1)), inputs);
        }
      } else {
        addToken(task, token, numeric, inputs);
      }
    }
    if (inputs.isEmpty()) throw new InputError("no inputs given for task '" + task.name() + "': " + ACCEPTED);
    return inputs;
  }

  /**
   * Reads the elements of a JSON array, as the HTTP API receives them: each is one value in the task's JSON
   * form ({@code 7}, {@code 2.5}, {@code true}, {@code {"base": 2, "exponent": 10}}); a string is read as a
   * command-line token ({@code "1..100"}, {@code "2,10"}), except for a text task, where it is the value.
   */
  public <I> List<I> parseJson(Task<I, ?> task, List<JsonNode> elements) {
    if (elements.isEmpty()) throw new InputError("no inputs given for task '" + task.name() + "': " + ACCEPTED);
    ValueType<I> type = task.inputType();
    boolean numeric = type == ValueTypes.LONG || type == ValueTypes.DOUBLE;
    List<I> inputs = new ArrayList<>(Math.min(elements.size(), 1 << 20));
    for (JsonNode element : elements) {
      if (element.isTextual() && type != ValueTypes.TEXT) {
        String token = element.asText();
        if (token.equals("-") || (token.startsWith("@") && token.length() > 1)) throw new InputError(noFiles("input", token));
        addToken(task, token, numeric, inputs);
      } else {
        I input;
        try {
          input = type.fromJson(element);
        } catch (IllegalArgumentException e) {
          throw new InputError("cannot read input '" + element + "' for task '" + task.name() + "': " + e.getMessage()
              + "; " + ACCEPTED);
        }
        add(task, input, element.isTextual() ? element.asText() : element.toString(), inputs);
      }
    }
    return inputs;
  }

  private <I> void addToken(Task<I, ?> task, String token, boolean numeric, List<I> inputs) {
    ValueType<I> type = task.inputType();
    if (numeric && RANGE.matcher(token.strip()).matches()) {
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

  private List<Long> range(Task<?, ?> task, String token, Matcher range) {
    long first;
    long last;
    try {
      first = Long.parseLong(range.group(1).replace("_", ""));
      last = Long.parseLong(range.group(2).replace("_", ""));
    } catch (NumberFormatException e) {
      throw new InputError("range '" + token + "' has a bound that is not a 64-bit integer");
    }
    if (last < first) throw new InputError("range '" + token + "' is empty: write FIRST..LAST with FIRST <= LAST");
    if (last - first >= Integer.MAX_VALUE || last - first < 0) {
      throw new InputTooLarge("range '" + token + "' is too long: at most " + Integer.MAX_VALUE + " inputs in one job");
    }
    // checked before the range is validated input by input, which takes a while for a long one
    if (last - first + 1 > maxTotal) {
      throw new InputTooLarge("range '" + token + "' has " + (last - first + 1) + " inputs: " + apiLimit());
    }
    return Inputs.range(first, last);
  }

  private static void validateRange(Task<Long, ?> task, List<Long> range) {
    for (Long x : range) {
      try {
        task.validate(x);
      } catch (IllegalArgumentException e) {
        throw new InputError("input " + x + " is refused: " + e.getMessage());
      }
    }
  }

  private <I> I parseOne(Task<I, ?> task, String text) {
    try {
      return task.inputType().parse(text);
    } catch (IllegalArgumentException e) {
      throw new InputError("cannot read input '" + text + "' for task '" + task.name() + "': " + e.getMessage()
          + "; " + ACCEPTED);
    }
  }

  private <I> void add(Task<I, ?> task, I input, String token, List<I> inputs) {
    if (inputs.size() >= maxInputs) {
      throw new InputTooLarge("too many inputs: at most " + maxInputs
          + " listed inputs (clusterpool.input.max-inline-inputs); a range like 1..N has no such limit");
    }
    if (inputs.size() >= maxTotal) throw new InputTooLarge("too many inputs: " + apiLimit());
    if (input instanceof String text && text.length() > maxTextLength) {
      throw new InputTooLarge("input of " + text.length() + " characters is too long: at most " + maxTextLength
          + " (clusterpool.input.max-text-length)");
    }
    try {
      task.validate(input);
    } catch (IllegalArgumentException e) {
      throw new InputError("input '" + token + "' is refused: " + e.getMessage());
    }
    inputs.add(input);
  }

  private String apiLimit() {
    return "the HTTP API keeps the results of at most " + maxTotal + " inputs per job (clusterpool.http.max-results)";
  }

  static String noFiles(String what, String token) {
    return what + " '" + token + "' reads a file or standard input on the command line; the HTTP API reads neither:"
        + " send the values themselves";
  }

  private <I> void readFile(Task<I, ?> task, Path path, List<I> inputs) {
    try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      readLines(task, reader, path.toString(), inputs);
    } catch (NoSuchFileException e) {
      throw new InputError("cannot read inputs from '" + path + "': no such file");
    } catch (IOException e) {
      throw new InputError("cannot read inputs from '" + path + "': " + e.getMessage());
    }
  }

  private <I> void readLines(Task<I, ?> task, BufferedReader reader, String source, List<I> inputs) {
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) add(task, parseOne(task, line.strip()), line.strip(), inputs);
      }
    } catch (IOException e) {
      throw new InputError("cannot read inputs from " + source + ": " + e.getMessage());
    }
  }
}
