package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Sessions: random ids, valid until they expire, at most {@link Sessions#MAX_SESSIONS} (the oldest
 * goes first).
 */
class SessionsTest {
  private static final long NOW = 1_764_900_000_000L;

  @Test
  void aSessionIsValidUntilItExpires() {
    Sessions sessions = new Sessions();
    String id = sessions.open(NOW);
    assertTrue(id.length() >= 43, "256 random bits: " + id);
    assertNotEquals(id, sessions.open(NOW));
    assertTrue(sessions.valid(id, NOW + Sessions.LIFETIME.toMillis() - 1));
    assertFalse(sessions.valid(id, NOW + Sessions.LIFETIME.toMillis()));
    assertFalse(sessions.valid("not-one", NOW));
    assertFalse(sessions.valid(null, NOW));
  }

  @Test
  void theOldestGoesWhenTheyAreTooMany() {
    Sessions sessions = new Sessions();
    String first = sessions.open(NOW);
    String second = sessions.open(NOW);
    for (int i = 2; i < Sessions.MAX_SESSIONS; i++) sessions.open(NOW);
    assertEquals(Sessions.MAX_SESSIONS, sessions.size());
    sessions.open(NOW);
    assertEquals(Sessions.MAX_SESSIONS, sessions.size());
    assertFalse(sessions.valid(first, NOW), "the oldest went");
    assertTrue(sessions.valid(second, NOW));
  }
}
