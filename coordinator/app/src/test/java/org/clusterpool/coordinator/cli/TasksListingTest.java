package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clusterpool.node.catalog.TaskJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A user's task cannot break the catalog's lines or drive the terminal with its description. */
@Timeout(120)
class TasksListingTest {

  private static final String SHOUT =
      """
      package com.example.shout;

      import org.clusterpool.node.task.LongTask;
      import org.clusterpool.node.task.TaskContext;

      public final class Shout implements LongTask {
        @Override public String name() { return "shout"; }
        @Override public String description() { return "\\u001b[31mred\\nsecond line"; }
        @Override public long applyAsLong(long x, TaskContext context) { return x; }
      }
      """;

  @Test
  void aTasksDescriptionIsEscaped(@TempDir Path dir) throws Exception {
    Path jar =
        TaskJars.jar(
            dir.resolve("shout.jar"),
            Map.of(TaskJars.file("com.example.shout.Shout"), SHOUT),
            List.of("com.example.shout.Shout"));
    MainTest.Run run = MainTest.run("tasks", "--tasks", jar.toString());
    assertEquals(0, run.code(), run.err());
    assertFalse(run.out().contains("\u001b"), run.out());
    String line =
        run.lines().stream().filter(l -> l.startsWith("  shout ")).findFirst().orElseThrow();
    assertTrue(line.endsWith("\\u001b[31mred\\nsecond line"), line);
    assertFalse(run.lines().contains("second line"), run.out());
  }

  @Test
  void aLongDescriptionIsCut(@TempDir Path dir) throws Exception {
    Path jar =
        TaskJars.jar(
            dir.resolve("shout.jar"),
            Map.of(
                TaskJars.file("com.example.shout.Shout"),
                SHOUT.replace(
                    "return \"\\u001b[31mred\\nsecond line\";", "return \"d\".repeat(300);")),
            List.of("com.example.shout.Shout"));
    MainTest.Run run = MainTest.run("tasks", "--tasks", jar.toString());
    assertEquals(0, run.code(), run.err());
    String line =
        run.lines().stream().filter(l -> l.startsWith("  shout ")).findFirst().orElseThrow();
    assertTrue(line.endsWith(" " + "d".repeat(TasksCommand.MAX_DESCRIPTION - 1) + "…"), line);
  }
}
