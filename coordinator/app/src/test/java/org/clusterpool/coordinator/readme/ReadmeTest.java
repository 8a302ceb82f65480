package org.clusterpool.coordinator.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the README tests read the README and compare its transcripts, on made-up text. */
class ReadmeTest {

  private static final List<String> TEXT =
      List.of(
          "# title",
          "```",
          "bin/clusterpool tasks                                  # the task catalog",
          "./mvnw -B verify                # not the program",
          "```",
          "1. A step:",
          "   ```",
          "   $ bin/clusterpool map fib 99",
          "   clusterpool: input '99' is refused",
          "   $ bin/clusterpool cluster up 2",
          "   cluster up in 7.7 s: 2 worker nodes",
          "",
          "   logs:     ~/clusterpool/logs/cluster",
          "   ```",
          "```java",
          "class A {}",
          "```");

  @Test
  void blocksAreFoundWithTheirLanguageAndLineAndListItemsLoseTheirIndentation() {
    List<Readme.Block> blocks = Readme.blocks(TEXT);
    assertEquals(3, blocks.size());
    assertEquals(3, blocks.get(0).firstLine());
    assertEquals("$ bin/clusterpool map fib 99", blocks.get(1).lines().get(0));
    assertEquals("java", blocks.get(2).language());
    assertEquals(List.of("class A {}"), Readme.javaBlocks(TEXT).get(0).lines());
  }

  @Test
  void commandsAreTheProgramsLinesAndATranscriptShowsTheOutputUnderEach() {
    List<Readme.Command> commands = Readme.commands(TEXT);
    assertEquals(
        List.of(
            "bin/clusterpool tasks", "bin/clusterpool map fib 99", "bin/clusterpool cluster up 2"),
        commands.stream().map(Readme.Command::text).toList());
    assertEquals(3, commands.get(0).line());
    assertFalse(commands.get(0).showsOutput());
    assertTrue(commands.get(1).showsAnError());
    assertEquals(
        List.of("cluster up in 7.7 s: 2 worker nodes", "logs:     ~/clusterpool/logs/cluster"),
        commands.get(2).shown());
  }

  @Test
  void numbersPathsElisionsAndAlignmentVaryButWordsDoNot() {
    assertTrue(
        Readme.pattern("cluster up in 7.7 s: 2 worker nodes of 2 workers each, on 127.0.0.1")
            .matcher("cluster up in 12.25 s: 2 worker nodes of 4 workers each, on 127.0.0.1")
            .matches());
    assertTrue(
        Readme.pattern(
                "  1  worker-node-1  worker       pekko://clusterpool@127.0.0.1:25521  Up      yes "
                    + "       30342")
            .matcher(
                "  1  worker-node-1  worker  pekko://clusterpool@127.0.0.1:26013  Up  yes  4242")
            .matches());
    assertTrue(
        Readme.pattern("logs:     ~/clusterpool/logs/cluster")
            .matcher("logs: /tmp/readme123/logs/cluster")
            .matches());
    assertTrue(
        Readme.pattern("{\"job\":\"a\",...,\"done\":10}")
            .matcher("{\"job\":\"a\",\"x\":1,\"done\":12}")
            .matches());
    assertTrue(
        Readme.pattern("items put: 1,400 (2 s)").matcher("items put: 200 (0.5 s)").matches());
    assertFalse(Readme.pattern("cluster up in 7.7 s").matcher("cluster down in 7.7 s").matches());
    assertFalse(Readme.pattern("worker-node-1").matcher("worker-node-").matches());
  }

  @Test
  void theShownLinesMustAllBeThereInOrderAmongWhatWasPrinted() {
    List<String> printed =
        List.of("12:00 WARN a heartbeat was late", "first 1", "noise", "second 2");
    assertEquals(Optional.empty(), Readme.firstMissing(List.of("first 7", "second 8"), printed));
    assertEquals(
        Optional.of("first 7"), Readme.firstMissing(List.of("second 8", "first 7"), printed));
    assertEquals(
        Optional.of("third 3"), Readme.firstMissing(List.of("first 1", "third 3"), printed));
  }

  @Test
  void aTrailingCommentIsNotPartOfTheCommand() {
    assertEquals(
        "bin/clusterpool demo",
        Readme.withoutComment("bin/clusterpool demo      # the course's examples, one per line"));
    assertEquals(
        "bin/clusterpool map square 1..10",
        Readme.withoutComment("bin/clusterpool map square 1..10"));
  }
}
