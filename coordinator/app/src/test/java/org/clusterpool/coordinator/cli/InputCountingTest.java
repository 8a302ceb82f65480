package org.clusterpool.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ranges mixed with listed values run as given, in order. */
@Timeout(60)
class InputCountingTest {

  @Test
  void rangesAndValuesTogetherRunInOrder() {
    MainTest.Run run = MainTest.run("map", "square", "1..3", "5", "7..8", "--chunksize", "2");
    assertEquals(0, run.code(), run.err());
    assertEquals(List.of("1", "4", "9", "25", "49", "64"), run.lines());
  }
}
