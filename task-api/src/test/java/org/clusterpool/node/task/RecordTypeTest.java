package org.clusterpool.node.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A record read from a JSON object has every field, once, of its type; nothing is guessed. */
class RecordTypeTest {
  record Pair(long base, long exponent) {}

  record Mixed(String name, double work, boolean on) {}

  record Listed(java.util.List<Long> items, Long maybe) {}

  private static final ValueType<Pair> PAIR = ValueTypes.record(Pair.class);
  private static final ValueType<Mixed> MIXED = ValueTypes.record(Mixed.class);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"base\":2}|field 'exponent' of (base, exponent) is missing",
        "{}|field 'base' of (base, exponent) is missing",
        "{\"base\":null,\"exponent\":3}|field 'base' of (base, exponent) is null: expected an"
            + " integer",
        "{\"base\":2.5,\"exponent\":3}|field 'base' of (base, exponent) is 2.5: expected an"
            + " integer",
        "{\"base\":2,\"exponent\":3,\"base\":5}|field 'base' of (base, exponent) is given twice",
        "{\"base\":2,\"exponent\":3,\"x\":1}|unknown field 'x' for (base, exponent)",
        "{\"base\":true,\"exponent\":3}|field 'base' of (base, exponent) is true: expected an"
            + " integer",
        "{\"base\":99999999999999999999,\"exponent\":3}|expected an integer of 64 bits",
      })
  void aJsonObjectThatIsNotExactlyTheRecordIsRefusedNamingTheField(String json, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PAIR.parse(json));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void theSameRulesHoldForATreeAsTheApiReadsIt() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThrows(
        IllegalArgumentException.class, () -> PAIR.fromJson(json.readTree("{\"base\":2}")));
    assertEquals(new Pair(2, 10), PAIR.fromJson(json.readTree("{\"base\":2,\"exponent\":10}")));
    assertThrows(IllegalArgumentException.class, () -> PAIR.fromJson(json.readTree("[2,10]")));
  }

  @Test
  void aWholeRecordIsReadAndEveryRecordMakesTheRoundTrip() {
    assertEquals(new Pair(2, 10), PAIR.parse("{\"base\":2,\"exponent\":10}"));
    assertEquals(new Pair(2, 10), PAIR.parse("{\"exponent\":10,\"base\":\"2\"}"));
    assertEquals(new Pair(2, 10), PAIR.parse("2,10"));
    Mixed mixed = new Mixed("a", 0.5, true);
    assertEquals(mixed, MIXED.fromJson(MIXED.toJson(mixed)));
    Mixed none = new Mixed(null, 1, false);
    assertEquals(none, MIXED.fromJson(MIXED.toJson(none)), "a null text stays null");
    assertEquals(new Mixed("x", 2.0, true), MIXED.parse("{\"name\":\"x\",\"work\":2,\"on\":true}"));
  }

  /** A report's list of longs comes back as longs (JSON alone reads small numbers as ints). */
  @org.junit.jupiter.api.Test
  void aListOfLongsStaysLongsAndABoxedNullStaysNull() {
    ValueType<Listed> listed = ValueTypes.record(Listed.class);
    Listed value = new Listed(java.util.List.of(1L, 2L), null);
    Listed back = listed.fromJson(listed.toJson(value));
    assertEquals(value, back);
    assertEquals(Long.class, back.items().get(0).getClass());
  }
}
