package org.clusterpool.coordinator.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * README.md read as a user reads it, at test time (so that the tests follow whatever the README
 * says today): its fenced code blocks, the {@code bin/clusterpool} commands in them, and the output
 * a transcript shows for each.
 */
final class Readme {
  private Readme() {}

  /**
   * A fenced block: its language ({@code ""} for none), the README line of its first content line,
   * its lines.
   */
  record Block(String language, int firstLine, List<String> lines) {}

  /**
   * A command of a code block: where it is, what to type (without the {@code $ } prompt and the
   * trailing comment), and the output a transcript shows under it (empty when the README shows
   * none).
   */
  record Command(int line, String text, List<String> shown) {
    boolean showsOutput() {
      return !shown.isEmpty();
    }

    /** A transcript whose output is an error line: the command is meant to fail. */
    boolean showsAnError() {
      return showsOutput() && shown.get(0).startsWith("clusterpool: ");
    }
  }

  /** The project's README.md, found from the working directory (a module's folder under Maven). */
  static Path find() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("README.md"))
          && Files.isDirectory(d.resolve("coordinator"))) return d.resolve("README.md");
    }
    throw new IllegalStateException("no README.md beside a coordinator/ folder above " + dir);
  }

  static List<String> lines() {
    try {
      return Files.readAllLines(find());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern FENCE = Pattern.compile("^(\\s*)```\\s*([\\w-]*)\\s*$");

  /** Every fenced block, a list item's indented ones included (their indentation taken off). */
  static List<Block> blocks(List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher open = FENCE.matcher(lines.get(i));
      if (!open.matches()) continue;
      int indent = open.group(1).length();
      List<String> content = new ArrayList<>();
      int j = i + 1;
      for (; j < lines.size() && !FENCE.matcher(lines.get(j)).matches(); j++) {
        String line = lines.get(j);
        int cut = 0;
        while (cut < indent && cut < line.length() && line.charAt(cut) == ' ') cut++;
        content.add(line.substring(cut));
      }
      blocks.add(new Block(open.group(2), i + 2, content));
      i = j;
    }
    return blocks;
  }

  static List<Block> javaBlocks(List<String> lines) {
    return blocks(lines).stream().filter(b -> b.language().equals("java")).toList();
  }

  private static final String PROGRAM = "bin/clusterpool";

  /**
   * The {@code bin/clusterpool} commands of the blocks that are not Java. In a transcript (a block
   * with {@code $ } prompts) the lines under a command, up to the next prompt, are its output;
   * elsewhere each line that starts with the program is a command, and the README shows no output
   * for it.
   */
  static List<Command> commands(List<String> lines) {
    List<Command> commands = new ArrayList<>();
    for (Block block : blocks(lines)) {
      if (block.language().equals("java")) continue;
      boolean transcript = block.lines().stream().anyMatch(l -> l.startsWith("$ "));
      for (int i = 0; i < block.lines().size(); i++) {
        String line = block.lines().get(i);
        String typed = transcript ? (line.startsWith("$ ") ? line.substring(2) : null) : line;
        if (typed == null || !typed.startsWith(PROGRAM + " ")) continue;
        List<String> shown = new ArrayList<>();
        if (transcript) {
          for (int j = i + 1;
              j < block.lines().size() && !block.lines().get(j).startsWith("$ ");
              j++) {
            if (!block.lines().get(j).isBlank()) shown.add(block.lines().get(j));
          }
        }
        commands.add(new Command(block.firstLine() + i, withoutComment(typed), shown));
      }
    }
    return commands;
  }

  /**
   * {@code bin/clusterpool demo # the course's examples} without its comment (a {@code #} after a
   * space).
   */
  static String withoutComment(String line) {
    return line.replaceFirst("\\s+#(\\s.*)?$", "").strip();
  }

  /**
   * The rule that compares a line the README shows with a line the command printed. What varies
   * from run to run varies freely: every number (pids, ports, times, counts: {@code 30342}, {@code
   * 7.7}, {@code 127.0.0.1}), every path ({@code ~/clusterpool/logs}), what the README elides with
   * {@code ...}, and the width of the spaces that align a table. The words must be the same.
   */
  static Pattern pattern(String shown) {
    StringBuilder regex = new StringBuilder();
    String[] tokens = shown.strip().split("(?<=\\s)(?=\\S)|(?<=\\S)(?=\\s)");
    for (String token : tokens) {
      if (token.isBlank()) {
        regex.append("\\s+");
      } else if (token.startsWith("~/") || token.startsWith("/")) {
        regex.append("\\S+");
      } else if (token.matches(
          "[(\\[](~/|/).*")) { // a path in brackets: "(~/clusterpool/.clusterpool/tls-7314)"
        regex.append(Pattern.quote(token.substring(0, 1))).append("\\S+");
      } else {
        regex.append(word(token));
      }
    }
    return Pattern.compile("\\s*" + regex + "\\s*");
  }

  private static String word(String token) {
    StringBuilder regex = new StringBuilder();
    Matcher parts = Pattern.compile("\\.\\.\\.|[0-9]+(?:[.,][0-9]+)*").matcher(token);
    int at = 0;
    while (parts.find()) {
      regex.append(Pattern.quote(token.substring(at, parts.start())));
      regex.append(parts.group().equals("...") ? ".*" : "[0-9]+(?:[.,][0-9]+)*");
      at = parts.end();
    }
    regex.append(Pattern.quote(token.substring(at)));
    return regex.toString().replace("\\Q\\E", "");
  }

  /**
   * The first shown line that the printed lines do not match, in order (a shown line matches one
   * printed line).
   */
  static Optional<String> firstMissing(List<String> shown, List<String> printed) {
    int at = 0;
    for (String line : shown) {
      Pattern p = pattern(line);
      while (at < printed.size() && !p.matcher(printed.get(at)).matches()) at++;
      if (at == printed.size()) return Optional.of(line);
      at++;
    }
    return Optional.empty();
  }
}
