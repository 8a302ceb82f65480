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
import org.clusterpool.coordinator.pool.Call;
import org.clusterpool.node.task.Task;

/**
 * Reads the calls of {@code gather}: {@code TASK:INPUT} ({@code sleep:2}, {@code fib:25}, {@code pow:2,10}),
 * {@code @FILE} or {@code -} (one call a line). Every call is parsed and checked before any starts.
 */
final class CallParser {
  static final String ACCEPTED = "expected TASK:INPUT, like sleep:2 or fib:25, or @FILE or - (one call a line)";

  private final int maxCalls;
  private final int maxTextLength;

  CallParser(int maxCalls, int maxTextLength) {
    this.maxCalls = maxCalls;
    this.maxTextLength = maxTextLength;
  }

  List<Call<?>> parse(List<String> tokens) {
    if (tokens == null || tokens.isEmpty()) throw new UsageError("no calls given: " + ACCEPTED);
    List<Call<?>> calls = new ArrayList<>();
    for (String token : tokens) {
      if (token.equals("-")) {
        readLines(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), "standard input", calls);
      } else if (token.startsWith("@") && token.length() > 1) {
        Path path = Path.of(token.substring(1));
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
          readLines(reader, path.toString(), calls);
        } catch (NoSuchFileException e) {
          throw new UsageError("cannot read calls from '" + path + "': no such file");
        } catch (IOException e) {
          throw new UsageError("cannot read calls from '" + path + "': " + e.getMessage());
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
      throw new UsageError("cannot read calls from " + source + ": " + e.getMessage());
    }
  }

  private void add(String text, List<Call<?>> calls) {
    if (calls.size() >= maxCalls) {
      throw new UsageError("too many calls: at most " + maxCalls + " (clusterpool.input.max-inline-inputs)");
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) throw new UsageError("cannot read call '" + text + "': " + ACCEPTED);
    Task<?, ?> task = Tasks.named(text.substring(0, colon));
    calls.add(call(task, text.substring(colon + 1), text));
  }

  private <I, O> Call<O> call(Task<I, O> task, String inputText, String whole) {
    if (inputText.length() > maxTextLength) {
      throw new UsageError("call '" + whole.substring(0, 40) + "...' is too long: inputs of at most " + maxTextLength
          + " characters (clusterpool.input.max-text-length)");
    }
    I input;
    try {
      input = task.inputType().parse(inputText);
      task.validate(input);
    } catch (IllegalArgumentException e) {
      throw new UsageError("cannot read call '" + whole + "': " + e.getMessage());
    }
    return Call.of(task, input).labelled(whole);
  }
}
