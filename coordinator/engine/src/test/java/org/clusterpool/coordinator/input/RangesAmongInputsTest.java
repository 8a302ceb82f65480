package org.clusterpool.coordinator.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.clusterpool.node.task.builtin.BuiltinTasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Only values listed one by one count against max-inline-inputs; a range never does. */
@Timeout(30)
class RangesAmongInputsTest {

  private static final InputParser FIVE =
      InputParser.forCommandLine(new InputLimits(5, 100, 1 << 20));

  @Test
  void rangesBesideListedValuesAreNotCountedAndKeepTheirOrder() {
    List<Long> inputs = FIVE.parse(BuiltinTasks.SQUARE, List.of("1..6", "10", "20..29", "3,4"));
    assertEquals(19, inputs.size());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 10L), inputs.subList(0, 7));
    assertEquals(List.of(29L, 3L, 4L), inputs.subList(16, 19));
    List<Long> iterated = new java.util.ArrayList<>();
    inputs.forEach(iterated::add);
    assertEquals(inputs, iterated);
  }

  @Test
  void aLongRangeAndOneValueAreNotListed() {
    List<Long> inputs = FIVE.parse(BuiltinTasks.SQUARE, List.of("1..2000000000", "1"));
    assertEquals(2_000_000_001, inputs.size());
    assertEquals(1L, inputs.get(2_000_000_000));
  }

  @Test
  void listedValuesStillCount() {
    InputTooLarge e =
        assertThrows(
            InputTooLarge.class,
            () -> FIVE.parse(BuiltinTasks.SQUARE, List.of("1..100", "1,2,3", "4,5,6")));
    assertTrue(e.getMessage().contains("max-inline-inputs"), e.getMessage());
  }

  @Test
  void sleepsRangesAreDoubles() {
    assertEquals(List.of(1.0, 2.0, 5.0), FIVE.parse(BuiltinTasks.SLEEP, List.of("1..2", "5")));
  }
}
