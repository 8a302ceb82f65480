package org.clusterpool.coordinator.input;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
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
 * ({@code 1,2,3}), and on the command line {@code @FILE} (one input a line) and {@code -} (standard
 * input, one a line). Every input is parsed and validated by the task before any work starts. The
 * command line and the HTTP API read inputs with these same rules, so that the same mistake gets
 * the same message.
 */
public final class InputParser {
  public static final String ACCEPTED =
      "INPUTS are values, ranges like 1..100, comma lists like 1,2,3, @FILE or - (one input a"
          + " line)";

  private static final Pattern RANGE = Pattern.compile("^(-?[0-9][0-9_]*)\\.\\.(-?[0-9][0-9_]*)$");

  private final InputLimits limits;

  /** False in the HTTP API: a server never reads its own files or standard input for a client. */
  private final boolean readsFiles;

  /** The HTTP API keeps every result of a job: it bounds the inputs of one job, ranges included. */
  private final long maxTotal;

  private InputParser(InputLimits limits, boolean readsFiles, long maxTotal) {
    this.limits = limits;
    this.readsFiles = readsFiles;
    this.maxTotal = maxTotal;
  }

  /** The command line's parser: files and standard input allowed, ranges of any length. */
  public static InputParser forCommandLine(InputLimits limits) {
    return new InputParser(limits, true, Long.MAX_VALUE);
  }

  /**
   * The HTTP API's parser: no files, no standard input, and at most {@code maxResults} inputs in a
   * job.
   */
  public static InputParser forApi(InputLimits limits, long maxResults) {
    return new InputParser(limits, false, maxResults);
  }

  /**
   * How many inputs a token makes, without making them: a range its length, a comma list its parts,
   * anything else one. A token that is not what it seems counts one; parsing says what is wrong
   * with it.
   */
  public static long count(Task<?, ?> task, String token) {
    ValueType<?> type = task.inputType();
    if (type != ValueTypes.LONG && type != ValueTypes.DOUBLE) return 1;
    Matcher range = RANGE.matcher(token.strip());
    if (range.matches()) {
      try {
        long first = Long.parseLong(range.group(1).replace("_", ""));
        long last = Long.parseLong(range.group(2).replace("_", ""));
        return last < first
            ? 1
            : Math.max(1, last - first + 1); // past Long.MAX_VALUE: parsing refuses it
      } catch (NumberFormatException e) {
        return 1;
      }
    }
    if (!token.contains(",")) return 1;
    long parts = 0;
    for (String part : token.split(",")) if (!part.isBlank()) parts++;
    return Math.max(1, parts);
  }

  /**
   * Whether these tokens are one range of integers, which {@link #parse} keeps as a range (never
   * listed).
   */
  public static boolean isSingleRange(Task<?, ?> task, List<String> tokens) {
    return tokens != null
        && tokens.size() == 1
        && task.inputType() == ValueTypes.LONG
        && RANGE.matcher(tokens.get(0).strip()).matches();
  }

  /**
   * Reads command-line tokens; a single range of integers stays a range (sent as two numbers, never
   * listed).
   */
  public <I> List<I> parse(Task<I, ?> task, List<String> tokens) {
    if (tokens == null || tokens.isEmpty())
      throw new InputError("no inputs given for task '" + task.name() + "': " + ACCEPTED);
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
    Parts<I> inputs = new Parts<>();
    long[] text = {0}; // bytes of listed text so far, against max-inline-bytes
    for (String token : tokens) {
      if (token.equals("-") || (token.startsWith("@") && token.length() > 1)) {
        if (!readsFiles) throw new InputError(noFiles("input", token));
        if (token.equals("-")) {
          readLines(task, standardInput(), "standard input", inputs, text);
        } else {
          readFile(task, token.substring(1), inputs, text);
        }
      } else {
        countText(token.length(), text);
        addToken(task, token, numeric, inputs);
      }
    }
    if (inputs.total == 0)
      throw new InputError("no inputs given for task '" + task.name() + "': " + ACCEPTED);
    return inputs.list();
  }

  /**
   * The inputs read so far: listed values, and ranges kept as ranges (never listed) in their place,
   * so that only the values listed one by one count against {@code max-inline-inputs}.
   */
  private static final class Parts<I> {
    private final List<List<I>> parts = new ArrayList<>();
    private List<I> listed = new ArrayList<>();
    private long listedCount;
    private long total;

    void addListed(I input) {
      listed.add(input);
      listedCount++;
      total++;
    }

    void addRange(List<I> range) {
      if (!listed.isEmpty()) parts.add(listed);
      listed = new ArrayList<>();
      parts.add(range);
      total += range.size();
    }

    List<I> list() {
      if (!listed.isEmpty()) parts.add(listed);
      listed = new ArrayList<>();
      return Inputs.concat(parts);
    }
  }

  /**
   * Reads the elements of a JSON array, as the HTTP API receives them: each is one value in the
   * task's JSON form ({@code 7}, {@code 2.5}, {@code true}, {@code {"base": 2, "exponent": 10}}); a
   * string is read as a command-line token ({@code "1..100"}, {@code "2,10"}), except for a text
   * task, where it is the value.
   */
  public <I> List<I> parseJson(Task<I, ?> task, List<JsonNode> elements) {
    JsonListing<I> listing = jsonListing(task);
    for (JsonNode element : elements) listing.add(element);
    return listing.inputs();
  }

  /**
   * Reads a JSON array's elements one at a time, as {@link #parseJson} does: the API streams them
   * from a body.
   */
  public <I> JsonListing<I> jsonListing(Task<I, ?> task) {
    return new JsonListing<>(task);
  }

  /** The inputs of a JSON array, read element by element. */
  public final class JsonListing<I> {
    private final Task<I, ?> task;
    private final boolean numeric;
    private final Parts<I> inputs = new Parts<>();

    private JsonListing(Task<I, ?> task) {
      this.task = task;
      this.numeric = task.inputType() == ValueTypes.LONG || task.inputType() == ValueTypes.DOUBLE;
    }

    public void add(JsonNode element) {
      ValueType<I> type = task.inputType();
      if (element.isTextual() && type != ValueTypes.TEXT) {
        String token = element.asText();
        if (token.equals("-") || (token.startsWith("@") && token.length() > 1))
          throw new InputError(noFiles("input", token));
        addToken(task, token, numeric, inputs);
        return;
      }
      I input;
      try {
        input = type.fromJson(element);
      } catch (IllegalArgumentException e) {
        String shown = element.toString();
        throw new InputError(
            "cannot read input "
                + Echo.quote(shown)
                + " for task '"
                + task.name()
                + "': "
                + detail(e, shown)
                + "; "
                + ACCEPTED);
      }
      InputParser.this.add(
          task, input, element.isTextual() ? element.asText() : element.toString(), inputs);
    }

    /** The inputs read; refused when there are none. */
    public List<I> inputs() {
      if (inputs.total == 0)
        throw new InputError("no inputs given for task '" + task.name() + "': " + ACCEPTED);
      return inputs.list();
    }
  }

  private <I> void addToken(Task<I, ?> task, String token, boolean numeric, Parts<I> inputs) {
    ValueType<I> type = task.inputType();
    if (numeric && RANGE.matcher(token.strip()).matches()) {
      Matcher range = RANGE.matcher(token.strip());
      range.matches();
      List<Long> values = range(task, token, range);
      if (inputs.total + values.size() > maxTotal)
        throw new InputTooLarge("too many inputs: " + apiLimit());
      if (inputs.total + values.size() > Integer.MAX_VALUE)
        throw new InputTooLarge(
            "too many inputs: at most " + Integer.MAX_VALUE + " in one job, ranges included");
      List<I> typed = typedRange(type, values);
      if (Task.validates(task)) for (I x : typed) validate(task, x, token);
      inputs.addRange(typed);
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
      throw new InputError(
          "range " + Echo.quote(token) + " has a bound that is not a 64-bit integer");
    }
    if (last < first)
      throw new InputError(
          "range " + Echo.quote(token) + " is empty: write FIRST..LAST with FIRST <= LAST");
    // checked before the range is validated input by input, which takes a while for a long one;
    // counted exactly: MIN..MAX holds more values than a long counts
    BigInteger count =
        BigInteger.valueOf(last).subtract(BigInteger.valueOf(first)).add(BigInteger.ONE);
    if (count.compareTo(BigInteger.valueOf(Math.min(maxTotal, Integer.MAX_VALUE))) > 0) {
      throw new InputTooLarge(
          maxTotal < Integer.MAX_VALUE
              ? "range " + Echo.quote(token) + " has " + count + " inputs: " + apiLimit()
              : "range "
                  + Echo.quote(token)
                  + " is too long: at most "
                  + Integer.MAX_VALUE
                  + " inputs in one job");
    }
    return Inputs.range(first, last);
  }

  private static void validateRange(Task<Long, ?> task, List<Long> range) {
    if (!Task.validates(task)) return; // ten million inputs need not be walked to check nothing
    for (Long x : range) {
      try {
        task.validate(x);
      } catch (Throwable e) {
        throw new InputError("input " + x + " is refused: " + refusal(task, String.valueOf(x), e));
      }
    }
  }

  private <I> I parseOne(Task<I, ?> task, String text) {
    try {
      return task.inputType().parse(text);
    } catch (IllegalArgumentException e) {
      throw new InputError(
          "cannot read input "
              + Echo.quote(text)
              + " for task '"
              + task.name()
              + "': "
              + detail(e, text)
              + "; "
              + ACCEPTED);
    }
  }

  /** A range as the task's values, without listing them: a double task's are made as read. */
  @SuppressWarnings("unchecked")
  private static <I> List<I> typedRange(ValueType<I> type, List<Long> range) {
    if (type == ValueTypes.LONG) return (List<I>) range;
    return new java.util.AbstractList<I>() {
      @Override
      public I get(int index) {
        return type.parse(Long.toString(range.get(index)));
      }

      @Override
      public int size() {
        return range.size();
      }
    };
  }

  private <I> void add(Task<I, ?> task, I input, String token, Parts<I> inputs) {
    if (inputs.listedCount >= limits.maxInputs()) {
      throw new InputTooLarge(
          "too many inputs: at most "
              + limits.maxInputs()
              + " listed inputs (clusterpool.input.max-inline-inputs); a range like 1..N has no"
              + " such limit");
    }
    if (inputs.total >= maxTotal) throw new InputTooLarge("too many inputs: " + apiLimit());
    if (input instanceof String text && text.length() > limits.maxTextLength()) {
      throw new InputTooLarge(
          "input "
              + Echo.quote(text)
              + " is too long: at most "
              + limits.maxTextLength()
              + " characters (clusterpool.input.max-text-length)");
    }
    validate(task, input, token);
    inputs.addListed(input);
  }

  private static <I> void validate(Task<I, ?> task, I input, String token) {
    try {
      task.validate(input);
    } catch (Throwable e) {
      throw refused(task, token, e);
    }
  }

  static InputError refused(Task<?, ?> task, String token, Throwable e) {
    return new InputError("input " + Echo.quote(token) + " is refused: " + refusal(task, token, e));
  }

  /**
   * Why {@code task}'s {@code validate} refused an input, in one line: its own message when it
   * refused it with one (an {@link IllegalArgumentException}), else the task and what it threw.
   */
  public static String refusal(Task<?, ?> task, String token, Throwable e) {
    String message;
    try {
      message = e.getMessage();
    } catch (Throwable broken) { // the task's own class
      return "the validate of task "
          + Echo.quote(task.name())
          + " threw "
          + kind(e)
          + ", whose getMessage() threw "
          + kind(broken);
    }
    if (e instanceof IllegalArgumentException && message != null && !message.isBlank())
      return detail(message, token);
    return "the validate of task "
        + Echo.quote(task.name())
        + " threw "
        + kind(e)
        + (message == null || message.isBlank() ? " without a message" : ": " + Echo.line(message));
  }

  /**
   * An exception's class as a reader knows it: its simple name, or its whole name if it has none.
   */
  private static String kind(Throwable e) {
    String simple = e.getClass().getSimpleName();
    return simple.isEmpty() ? e.getClass().getName() : simple;
  }

  /**
   * A task's or a type's own message about an input, which may hold the input as it was given:
   * there it is echoed as every input is, and the rest of the message is made one line.
   */
  static String detail(IllegalArgumentException e, String input) {
    return detail(e.getMessage(), input);
  }

  private static String detail(String said, String input) {
    String message = String.valueOf(said);
    if (input != null && !input.isEmpty()) {
      message = message.replace("'" + input + "'", Echo.quote(input));
      if (input.length() > Echo.MAX) message = message.replace(input, Echo.cut(input));
    }
    return Echo.line(message);
  }

  /**
   * Counts listed text against {@code max-inline-bytes}: inputs that are all held at once, before
   * any runs.
   */
  private void countText(long bytes, long[] total) {
    total[0] += bytes;
    if (total[0] > limits.maxInlineBytes()) {
      throw new InputTooLarge(
          "the inputs listed take more than "
              + limits.maxInlineBytes()
              + " bytes of text (clusterpool.input.max-inline-bytes): use a range like 1..N, or"
              + " split the job");
    }
  }

  private String apiLimit() {
    return "the HTTP API keeps the results of at most "
        + maxTotal
        + " inputs per job (clusterpool.http.max-results)";
  }

  static String noFiles(String what, String token) {
    return what
        + " "
        + Echo.quote(token)
        + " reads a file or standard input on the command line; the HTTP API reads"
        + " neither: send the values themselves";
  }

  /** Standard input, which reading it to its end does not close. */
  static InputStream standardInput() {
    return new java.io.FilterInputStream(System.in) {
      @Override
      public void close() {}
    };
  }

  /** Opens {@code @FILE}: one line when it cannot. */
  static InputStream open(String name, String what) {
    Path path;
    try {
      path = Path.of(name);
    } catch (RuntimeException e) {
      throw new InputError(
          "cannot read " + what + " from " + Echo.quote(name) + ": not a valid path");
    }
    try {
      if (Files.isDirectory(path))
        throw new InputError(
            "cannot read " + what + " from " + Echo.quote(name) + ": it is a directory");
      return Files.newInputStream(path);
    } catch (NoSuchFileException e) {
      throw new InputError("cannot read " + what + " from " + Echo.quote(name) + ": no such file");
    } catch (IOException e) {
      throw new InputError(
          "cannot read "
              + what
              + " from "
              + Echo.quote(name)
              + ": "
              + Echo.line(String.valueOf(e.getMessage())));
    }
  }

  private <I> void readFile(Task<I, ?> task, String name, Parts<I> inputs, long[] text) {
    readLines(task, open(name, "inputs"), Echo.quote(name), inputs, text);
  }

  /**
   * One input a line, each line bounded while it is read. A text line is the input as it is, spaces
   * and empty lines included (as Python's {@code splitlines()} gives them); any other is read
   * stripped, and blank lines are skipped.
   */
  private <I> void readLines(
      Task<I, ?> task, InputStream in, String source, Parts<I> inputs, long[] text) {
    boolean verbatim = task.inputType() == ValueTypes.TEXT;
    try (BoundedLineReader reader = new BoundedLineReader(in, source, limits.maxTextLength())) {
      String line;
      while ((line = reader.next()) != null) {
        countText(line.length() + 1, text);
        if (verbatim) add(task, parseOne(task, line), line, inputs);
        else if (!line.isBlank()) add(task, parseOne(task, line.strip()), line.strip(), inputs);
      }
    } catch (IOException e) {
      throw new InputError(
          "cannot read inputs from " + source + ": " + Echo.line(String.valueOf(e.getMessage())));
    }
  }
}
