package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An argument that starts with '-' and a digit is an input, not an unknown option. */
@Timeout(60)
class NegativeInputsTest {

  @Test
  void aNegativeRangeIsAnInput() {
    MainTest.Run run = MainTest.run("map", "square", "-3..-1", "--workers", "2");
    assertEquals(0, run.code(), run.err());
    assertEquals(List.of("9", "4", "1"), run.lines());
  }

  @Test
  void aNegativeTupleIsAnInput() {
    MainTest.Run run = MainTest.run("starmap", "pow", "-2,3");
    assertEquals(0, run.code(), run.err());
    assertEquals(List.of("-8"), run.lines());
    MainTest.Run apply = MainTest.run("apply", "pow", "-2,3");
    assertEquals(0, apply.code(), apply.err());
    assertEquals(List.of("-8"), apply.lines());
  }

  @Test
  void aMistypedOptionIsStillAnUnknownOption() {
    MainTest.Run run = MainTest.run("map", "square", "-3..-1", "--chunksiz", "2");
    assertEquals(2, run.code(), run.err());
    assertEquals("", run.out());
    assertTrue(
        run.err().startsWith("clusterpool: Unknown option: '--chunksiz' (see 'clusterpool map"),
        run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }
}
