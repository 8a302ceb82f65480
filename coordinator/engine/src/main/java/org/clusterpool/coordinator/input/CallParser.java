package org.clusterpool.coordinator.input;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.node.catalog.TaskCatalog;
import org.clusterpool.node.task.Task;

/**
 * Reads the calls of a gather: {@code TASK:INPUT} ({@code sleep:2}, {@code fib:25}, {@code
 * pow:2,10}), and on the command line {@code @FILE} or {@code -} (one call a line, each line
 * bounded while it is read). Every call is parsed and checked before any starts. The command line
 * and the HTTP API share these rules and their messages.
 */
public final class CallParser {
  public static final String ACCEPTED =
      "expected TASK:INPUT, like sleep:2 or fib:25, or @FILE or - (one call a line)";

  private final int maxCalls;
  private final int maxTextLength;
  private final long maxInlineBytes;
  private final boolean readsFiles;

  /** The setting that {@code maxCalls} comes from, for the message. */
  private final String limitSetting;

  /** Where the calls' task names are looked up. */
  private final TaskCatalog catalog;

  private CallParser(
      InputLimits limits,
      int maxCalls,
      boolean readsFiles,
      String limitSetting,
      TaskCatalog catalog) {
    this.catalog = catalog;
    this.maxCalls = maxCalls;
    this.maxTextLength = limits.maxTextLength();
    this.maxInlineBytes = limits.maxInlineBytes();
    this.readsFiles = readsFiles;
    this.limitSetting = limitSetting;
  }

  public static CallParser forCommandLine(InputLimits limits, TaskCatalog catalog) {
    return new CallParser(
        limits, limits.maxInputs(), true, "clusterpool.input.max-inline-inputs", catalog);
  }

  /**
   * No files and no standard input: a server never reads its own for a client. The API keeps every
   * call's result, so {@code maxResults} bounds the calls too.
   */
  public static CallParser forApi(InputLimits limits, long maxResults, TaskCatalog catalog) {
    return maxResults < limits.maxInputs()
        ? new CallParser(limits, (int) maxResults, false, "clusterpool.http.max-results", catalog)
        : new CallParser(
            limits, limits.maxInputs(), false, "clusterpool.input.max-inline-inputs", catalog);
  }

  public List<Call<?>> parse(List<String> tokens) {
    if (tokens == null || tokens.isEmpty()) throw new InputError("no calls given: " + ACCEPTED);
    List<Call<?>> calls = new ArrayList<>();
    long[] text = {0};
    for (String token : tokens) {
      boolean file = token.startsWith("@") && token.length() > 1;
      if ((file || token.equals("-")) && !readsFiles)
        throw new InputError(InputParser.noFiles("call", token));
      if (token.equals("-")) {
        readLines(InputParser.standardInput(), "standard input", calls, text);
      } else if (file) {
        String name = token.substring(1);
        readLines(InputParser.open(name, "calls"), Echo.quote(name), calls, text);
      } else {
        countText(token.length(), text);
        add(token, calls);
      }
    }
    // an empty file or standard input gives no call: refused as map refuses no inputs, not a
    // gather of nothing that reports success
    if (calls.isEmpty()) throw new InputError("no calls given: " + ACCEPTED);
    return calls;
  }

  private void readLines(InputStream in, String source, List<Call<?>> calls, long[] text) {
    // a call is TASK:INPUT: its line may be a task's name longer than an input
    try (BoundedLineReader reader = new BoundedLineReader(in, source, maxTextLength + 256)) {
      String line;
      while ((line = reader.next()) != null) {
        countText(line.length() + 1, text);
        if (!line.isBlank()) add(line.strip(), calls);
      }
    } catch (IOException e) {
      throw new InputError(
          "cannot read calls from " + source + ": " + Echo.line(String.valueOf(e.getMessage())));
    }
  }

  private void countText(long bytes, long[] total) {
    total[0] += bytes;
    if (total[0] > maxInlineBytes) {
      throw new InputTooLarge(
          "the calls listed take more than "
              + maxInlineBytes
              + " bytes of text (clusterpool.input.max-inline-bytes): split the gather");
    }
  }

  private void add(String text, List<Call<?>> calls) {
    if (calls.size() >= maxCalls) {
      throw new InputTooLarge("too many calls: at most " + maxCalls + " (" + limitSetting + ")");
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1)
      throw new InputError("cannot read call " + Echo.quote(text) + ": " + ACCEPTED);
    Task<?, ?> task = TaskNames.get(catalog, text.substring(0, colon));
    calls.add(call(task, text.substring(colon + 1), text));
  }

  private <I, O> Call<O> call(Task<I, O> task, String inputText, String whole) {
    if (inputText.length() > maxTextLength) {
      throw new InputTooLarge(
          "call "
              + Echo.quote(whole)
              + " is too long: inputs of at most "
              + maxTextLength
              + " characters (clusterpool.input.max-text-length)");
    }
    I input;
    try {
      input = task.inputType().parse(inputText);
    } catch (IllegalArgumentException e) {
      throw new InputError(
          "cannot read call " + Echo.quote(whole) + ": " + InputParser.detail(e, inputText));
    }
    try {
      task.validate(input);
    } catch (Throwable e) {
      throw new InputError(
          "cannot read call " + Echo.quote(whole) + ": " + InputParser.refusal(task, inputText, e));
    }
    return Call.of(task, input).labelled(whole);
  }
}
