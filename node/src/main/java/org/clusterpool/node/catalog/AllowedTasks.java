package org.clusterpool.node.catalog;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.clusterpool.node.text.Escapes;

/**
 * The tasks a job may run on this cluster, the operator's choice ({@code
 * clusterpool.tasks.allowed}): each entry is a task's name, {@code *} for every task of the
 * catalogue, or {@code !name} to take one out of the rest. A task is allowed when {@code *} or its
 * name is there and {@code !name} is not.
 *
 * @param entries as the config gives them
 */
public record AllowedTasks(List<String> entries) {
  public static final String SETTING = "clusterpool.tasks.allowed";
  private static final Pattern ENTRY = Pattern.compile("\\*|!?[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
  private static final int SHOWN = 240;

  /**
   * Every task: a config without the setting, a catalog made for tests (after ENTRY, which it is
   * checked with).
   */
  public static final AllowedTasks ALL = new AllowedTasks(List.of("*"));

  public AllowedTasks {
    entries = List.copyOf(entries);
    for (String entry : entries) {
      if (!ENTRY.matcher(entry).matches()) {
        throw new IllegalArgumentException(
            SETTING
                + " (CLUSTERPOOL_TASKS_ALLOWED) has "
                + Escapes.quote(entry)
                + ": accepted a task's name, * for every task, or !name to take one out");
      }
    }
  }

  /**
   * The setting, as a list or as one string of entries separated by ',' ({@code
   * CLUSTERPOOL_TASKS_ALLOWED="*,!halt"}).
   */
  public static AllowedTasks fromConfig(Config config) {
    if (!config.hasPath(SETTING)) return ALL;
    List<String> entries = new ArrayList<>();
    if (config.getValue(SETTING).valueType() == ConfigValueType.STRING) {
      for (String part : config.getString(SETTING).split(",", -1)) {
        if (!part.isBlank()) entries.add(part.strip());
      }
    } else {
      entries.addAll(config.getStringList(SETTING));
    }
    if (entries.isEmpty()) {
      // no task at all is no cluster: a variable set to nothing is a mistake, said at start
      throw new IllegalArgumentException(
          SETTING
              + " (CLUSTERPOOL_TASKS_ALLOWED) is empty: accepted task names, * for every task, or"
              + " !name to take one out, separated by ',' (\"*,!halt\"); unset, every task is"
              + " allowed");
    }
    return new AllowedTasks(entries);
  }

  public boolean permits(String task) {
    return (entries.contains("*") || entries.contains(task)) && !entries.contains("!" + task);
  }

  /** Every task is allowed: nothing to check, nothing to say. */
  public boolean all() {
    return permits("*") && entries.stream().noneMatch(e -> e.startsWith("!"));
  }

  /**
   * Nothing when {@code task} is allowed, else a {@link TaskNotAllowedException} that says so in
   * one line.
   */
  public void check(String task) {
    if (!permits(task)) throw new TaskNotAllowedException(whyNot(task));
  }

  /**
   * {@code task 'halt' is not allowed here (clusterpool.tasks.allowed: *, !halt): the operator's
   * choice}.
   */
  public String whyNot(String task) {
    return whyNot(task, "this cluster");
  }

  /** As {@link #whyNot(String)}, for a task not allowed {@code where} (a worker node). */
  public String whyNot(String task, String where) {
    return "task "
        + Escapes.quote(task)
        + " is not allowed on "
        + where
        + " ("
        + SETTING
        + ": "
        + cut(String.join(", ", entries), SHOWN)
        + "): which tasks a server runs is its operator's choice";
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }
}
