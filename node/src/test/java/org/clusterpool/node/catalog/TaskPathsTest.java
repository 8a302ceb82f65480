package org.clusterpool.node.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --tasks} is one path an option, ':' and all; only {@code CLUSTERPOOL_TASKS}, one string,
 * is split.
 */
class TaskPathsTest {
  @Test
  void aGivenPathWithAColonStaysOnePathInTheConfigOfTheJvmsStarted() {
    TaskPaths given = TaskPaths.of(List.of(Path.of("/tasks/a:b/Good.jar")));
    assertEquals(
        List.of(Path.of("/tasks/a:b/Good.jar")),
        TaskPaths.fromConfig(given.into(ConfigFactory.empty())).paths());
  }

  @Test
  void theVariablesStringIsSplit() {
    assertEquals(
        List.of(Path.of("/tasks/a.jar"), Path.of("/tasks/b.jar")),
        TaskPaths.fromConfig(
                ConfigFactory.empty()
                    .withValue(
                        TaskPaths.PATH_KEY,
                        ConfigValueFactory.fromAnyRef("/tasks/a.jar:/tasks/b.jar")))
            .paths());
  }
}
