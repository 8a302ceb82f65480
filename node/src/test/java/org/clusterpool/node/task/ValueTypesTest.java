package org.clusterpool.node.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.clusterpool.node.task.builtin.Pow;
import org.clusterpool.node.wire.Values;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

  @Test
  void readsIntegersWithUnderscoresAndSaysWhatIsAccepted() {
    assertEquals(1_000_000L, ValueTypes.LONG.parse("1_000_000"));
    assertEquals(-3L, ValueTypes.LONG.parse(" -3 "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ValueTypes.LONG.parse("x"));
    assertEquals("expected an integer, like 42, got 'x'", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ValueTypes.DOUBLE.parse("NaN"));
    assertThrows(IllegalArgumentException.class, () -> ValueTypes.BOOLEAN.parse("yes"));
  }

  @Test
  void packsAndUnpacksEveryType() {
    assertEquals(List.of(5L, 6L), decodeAll(ValueTypes.LONG, new Values.LongRange(5, 2)));
    assertEquals(
        List.of(1L, 2L), decodeAll(ValueTypes.LONG, ValueTypes.LONG.encode(List.of(1L, 2L))));
    assertEquals(
        List.of(0.5, 2.0),
        decodeAll(ValueTypes.DOUBLE, ValueTypes.DOUBLE.encode(List.of(0.5, 2.0))));
    assertEquals(List.of(3.0, 4.0), decodeAll(ValueTypes.DOUBLE, new Values.LongRange(3, 2)));
    assertEquals(
        List.of(true, false),
        decodeAll(ValueTypes.BOOLEAN, ValueTypes.BOOLEAN.encode(List.of(true, false))));
    assertEquals(
        Arrays.asList("a", null),
        decodeAll(ValueTypes.TEXT, ValueTypes.TEXT.encode(Arrays.asList("a", null))));
  }

  @Test
  void readsRecordsFromCommaTuplesAndJson() {
    ValueType<Pow.Args> args = BuiltinTasksAccess.POW_ARGS;
    assertEquals(new Pow.Args(2, 10), args.parse("2,10"));
    assertEquals(new Pow.Args(3, 4), args.parse("{\"base\": 3, \"exponent\": 4}"));
    assertEquals(new Pow.Args(5, 2), ValueTypes.fromTuple(args, List.of(5, 2)));
    assertEquals("(base, exponent)", args.name());
    assertEquals(
        List.of(new Pow.Args(2, 1)), decodeAll(args, args.encode(List.of(new Pow.Args(2, 1)))));
    IllegalArgumentException wrongCount =
        assertThrows(IllegalArgumentException.class, () -> args.parse("1,2,3"));
    assertTrue(wrongCount.getMessage().contains("base,exponent"), wrongCount.getMessage());
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> args.parse("2,99"));
    assertEquals("pow: exponent 99 is out of range: accepted 0..63", refused.getMessage());
    assertNull(
        args.decode(
            new Values.Jsons(Arrays.asList((com.fasterxml.jackson.databind.JsonNode) null)), 0));
  }

  private static <T> List<T> decodeAll(ValueType<T> type, Values values) {
    T[] out =
        java.util.stream.IntStream.range(0, values.size())
            .mapToObj(i -> type.decode(values, i))
            .toArray(n -> newArray(n));
    return Arrays.asList(out);
  }

  @SuppressWarnings("unchecked")
  private static <T> T[] newArray(int n) {
    return (T[]) new Object[n];
  }

  /** The record type of pow, as the task declares it. */
  private static final class BuiltinTasksAccess {
    static final ValueType<Pow.Args> POW_ARGS = new Pow().inputType();
  }
}
