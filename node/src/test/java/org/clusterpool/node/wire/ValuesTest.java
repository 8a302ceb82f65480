package org.clusterpool.node.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {

  @Test
  void slicesKeepPositionsAndType() {
    assertEquals(new Values.LongRange(13, 5), new Values.LongRange(10, 20).slice(3, 8));
    assertArrayEquals(
        new long[] {2, 3},
        ((Values.Longs) new Values.Longs(new long[] {1, 2, 3, 4}).slice(1, 3)).values());
    assertArrayEquals(
        new double[] {0.5},
        ((Values.Doubles) new Values.Doubles(new double[] {0.25, 0.5}).slice(1, 2)).values());
    assertEquals(
        List.of("b"),
        ((Values.Texts) new Values.Texts(Arrays.asList("a", "b", null)).slice(1, 2)).values());
    Values.Jsons jsons =
        new Values.Jsons(
            List.of(
                JsonNodeFactory.instance.numberNode(1), JsonNodeFactory.instance.textNode("x")));
    assertEquals(1, jsons.slice(1, 2).size());
  }

  @Test
  void refusesSlicesOutsideTheBlock() {
    assertThrows(IndexOutOfBoundsException.class, () -> new Values.LongRange(0, 3).slice(2, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> new Values.Longs(new long[2]).slice(-1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Values.LongRange(0, -1));
  }

  @Test
  void arrayBlocksCompareByContent() {
    assertEquals(new Values.Longs(new long[] {1, 2}), new Values.Longs(new long[] {1, 2}));
    assertEquals(
        new Values.Booleans(new boolean[] {true}).hashCode(),
        new Values.Booleans(new boolean[] {true}).hashCode());
  }

  @Test
  void describesFailuresWithTypeMessageAndStack() {
    RemoteError error = RemoteError.of(new ArithmeticException("long overflow"), "worker-1");
    assertEquals("java.lang.ArithmeticException", error.type());
    assertEquals("ArithmeticException: long overflow", error.summary());
    assertEquals("worker-1", error.where());
    assertEquals(true, error.stack().get(0).startsWith("at "));
  }
}
