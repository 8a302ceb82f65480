package org.clusterpool.node.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.clusterpool.node.config.LayeredConfig;
import org.junit.jupiter.api.Test;

/** clusterpool.tasks.allowed: names, *, !name; a list or one string; what each config allows. */
class AllowedTasksTest {

  @Test
  void everythingButWhatIsTakenOut() {
    AllowedTasks allowed = new AllowedTasks(List.of("*", "!halt"));
    assertTrue(allowed.permits("square"));
    assertFalse(allowed.permits("halt"));
    assertFalse(allowed.all());
    TaskNotAllowedException refused =
        assertThrows(TaskNotAllowedException.class, () -> allowed.check("halt"));
    assertEquals(
        "task 'halt' is not allowed on this cluster (clusterpool.tasks.allowed: *, !halt): which"
            + " tasks a server runs is its operator's choice",
        refused.getMessage());
  }

  @Test
  void onlyTheTasksNamed() {
    AllowedTasks allowed = new AllowedTasks(List.of("square", "fib"));
    assertTrue(allowed.permits("fib"));
    assertFalse(allowed.permits("halt"));
    assertFalse(allowed.permits("*"));
  }

  @Test
  void theEnvironmentGivesOneStringSeparatedByCommas() {
    AllowedTasks allowed =
        AllowedTasks.fromConfig(
            ConfigFactory.parseString("clusterpool.tasks.allowed = \"*, !halt,\""));
    assertEquals(List.of("*", "!halt"), allowed.entries());
  }

  @Test
  void anEmptySettingIsRefusedInOneLineThatSaysWhatIsAccepted() {
    for (String empty : List.of("\"\"", "\" , \"", "[]")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  AllowedTasks.fromConfig(
                      ConfigFactory.parseString("clusterpool.tasks.allowed = " + empty)));
      assertEquals(
          "clusterpool.tasks.allowed (CLUSTERPOOL_TASKS_ALLOWED) is empty: accepted task names, *"
              + " for every task, or !name to take one out, separated by ',' (\"*,!halt\");"
              + " unset, every task is allowed",
          e.getMessage());
    }
  }

  @Test
  void aBadEntryIsRefusedInOneLine() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AllowedTasks.fromConfig(
                    ConfigFactory.parseString(
                        "clusterpool.tasks.allowed = [\"*\", \"ha lt\\n\"]")));
    assertEquals(
        "clusterpool.tasks.allowed (CLUSTERPOOL_TASKS_ALLOWED) has 'ha lt\\n': accepted a task's"
            + " name, * for every task, or !name to take one out",
        e.getMessage());
  }

  @Test
  void theLocalClusterAllowsEveryTaskAndKubernetesNeitherHaltNorTheDemos() {
    assertTrue(TaskCatalog.forConfig(LayeredConfig.load("local-cluster")).allowed().all());
    AllowedTasks kubernetes = AllowedTasks.fromConfig(LayeredConfig.load("kubernetes"));
    for (String demo : List.of("halt", "fail", "increment", "sleep-blocking"))
      assertFalse(kubernetes.permits(demo), demo);
    for (String task : List.of("square", "fib", "whoami", "count-primes"))
      assertTrue(kubernetes.permits(task), task);
    TaskCatalog catalog = TaskCatalog.forConfig(LayeredConfig.load("kubernetes"));
    assertEquals(kubernetes, catalog.allowed());
    assertTrue(
        catalog.find("halt").isPresent(),
        "the task is known, and refused: a 403, not an unknown task");
  }
}
