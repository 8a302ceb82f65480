package org.clusterpool.node.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration PAUSE = Duration.ofSeconds(60);
  private static final SupervisionSettings SETTINGS =
      new SupervisionSettings(
          Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60), PAUSE);

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void aNodeThatKeepsDyingSoonWaitsTwiceAsLongEachTimeUpToTheCap() {
    Backoff backoff = new Backoff(SETTINGS);
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 10; i++) delays.add(backoff.next(Duration.ofSeconds(1)));
    assertEquals(
        List.of(
            ms(500), ms(1000), ms(2000), ms(4000), ms(8000), ms(16000), ms(30000), ms(30000),
            ms(30000), ms(30000)),
        delays);
  }

  @Test
  void aNodeThatRanLongEnoughStartsAgainFromTheShortestDelay() {
    Backoff backoff = new Backoff(SETTINGS);
    backoff.next(Duration.ZERO);
    backoff.next(Duration.ZERO);
    assertEquals(ms(2000), backoff.next(Duration.ofSeconds(59)), "59 s is not long enough");
    assertEquals(
        ms(500),
        backoff.next(Duration.ofSeconds(60)),
        "it ran stable-after: the backoff starts over");
    assertEquals(ms(1000), backoff.next(Duration.ofSeconds(2)));
  }

  @Test
  void theFirstDeathOfANodeWaitsTheShortestDelayHoweverLongItRan() {
    assertEquals(ms(500), new Backoff(SETTINGS).next(Duration.ZERO));
    assertEquals(ms(500), new Backoff(SETTINGS).next(Duration.ofHours(3)));
  }

  @Test
  void settingsThatCannotWorkAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new SupervisionSettings(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, PAUSE));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SupervisionSettings(
                Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, PAUSE));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new SupervisionSettings(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO));
  }
}
