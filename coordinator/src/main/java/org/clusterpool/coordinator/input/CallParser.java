package org.clusterpool.coordinator.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.node.task.Task;
import org.clusterpool.node.task.TaskCatalog;
import org.clusterpool.node.task.UnknownTaskException;

/**
 * Reads the calls of a gather: {@code TASK:INPUT} ({@code sleep:2}, {@code fib:25}, {@code pow:2,10}), and on
 * the command line {@code @FILE} or {@code -} (one call a line). Every call is parsed and checked before any
 * starts. The command line and the HTTP API share these rules and their messages.
 */
public final class CallParser {
  public static final String ACCEPTED = "expected TASK:INPUT, like sleep:2 or fib:25, or @FILE or - (one call a line)";

  private final int maxCalls;
  private final int maxTextLength;
  private final boolean readsFiles;
  /** The setting that {@code maxCalls} comes from, for the message. */
  private final String limitSetting;

  private CallParser(int maxCalls, int maxTextLength, boolean readsFiles, String limitSetting) {
    this.maxCalls = maxCalls;
    this.maxTextLength = maxTextLength;
    this.readsFiles = readsFiles;
    this.limitSetting = limitSetting;
  }

  public static CallParser forCommandLine(InputLimits limits) {
    return new CallParser(limits.maxInputs(), limits.maxTextLength(), true, "clusterpool.input.max-inline-inputs");
  }

  /**
   * No files and no standard input: a server never reads its own for a client. The API keeps every call's
   * result, so {@code maxResults} bounds the calls too.
   */
  public static CallParser forApi(InputLimits limits, long maxResults) {
    return maxResults < limits.maxInputs()
        ? new CallParser((int) maxResults, limits.maxTextLength(), false, "clusterpool.http.max-results")
        : new CallParser(limits.maxInputs(), limits.maxTextLength(), false, "clusterpool.input.max-inline-inputs");
  }

  public List<Call<?>> parse(List<String> tokens) {
    if (tokens == null || tokens.isEmpty()) throw new InputError("no calls given: " + ACCEPTED);
    List<Call<?>> calls = new ArrayList<>();
    for (String token : tokens) {
      boolean file = token.startsWith("@") && token.length() > 1;
      if ((file || token.equals("-")) && !readsFiles) throw new InputError(InputParser.noFiles("call", token));
      if (token.equals("-")) {
        readLines(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "standard input", calls);
      } else if (file) {
        Path path = Path.of(token.substring(1));
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
          readLines(reader, path.toString(), calls);
        } catch (NoSuchFileException e) {
          throw new InputError("cannot read calls from '" + path + "': no such file");
        } catch (IOException e) {
          throw new InputError("cannot read calls from '" + path + "': " + e.getMessage());
        }
      } else {
        add(token, calls);
      }
    }
    return calls;
  }

  private void readLines(BufferedReader reader, String source, List<Call<?>> calls) {
    try {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) add(line.strip(), calls);
      }
    } catch (IOException e) {
      throw new InputError("cannot read calls from " + source + ": " + e.getMessage());
    }
  }

  private void add(String text, List<Call<?>> calls) {
    if (calls.size() >= maxCalls) {
      throw new InputTooLarge("too many calls: at most " + maxCalls + " (" + limitSetting + ")");
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) throw new InputError("cannot read call '" + text + "': " + ACCEPTED);
    Task<?, ?> task;
    try {
      task = TaskCatalog.shared().get(text.substring(0, colon));
    } catch (UnknownTaskException e) {
      throw new InputError(e.getMessage());
    }
    calls.add(call(task, text.substring(colon + 1), text));
  }

  private <I, O> Call<O> call(Task<I, O> task, String inputText, String whole) {
    if (inputText.length() > maxTextLength) {
      throw new InputTooLarge("call '" + whole.substring(0, 40) + "...' is too long: inputs of at most " + maxTextLength
          + " characters (clusterpool.input.max-text-length)");
    }
    I input;
    try {
      input = task.inputType().parse(inputText);
      task.validate(input);
    } catch (IllegalArgumentException e) {
      throw new InputError("cannot read call '" + whole + "': " + e.getMessage());
    }
    return Call.of(task, input).labelled(whole);
  }
}
