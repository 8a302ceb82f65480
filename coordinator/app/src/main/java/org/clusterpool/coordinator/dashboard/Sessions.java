package org.clusterpool.coordinator.dashboard;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's logged-in browsers: a random id (the {@code clusterpool_ui} cookie) per redeemed
 * login ticket, kept on the server with its expiry. At most {@link #MAX_SESSIONS}: the oldest goes
 * to make room, so a flood of logins costs bounded memory. The sessions die with the server: a
 * restarted coordinator asks for a new link.
 */
public final class Sessions {
  public static final String COOKIE = "clusterpool_ui";

  /** A working day on a projector, then a new link. */
  public static final Duration LIFETIME = Duration.ofHours(12);

  static final int MAX_SESSIONS = 1000;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** id -> expiry (epoch ms), oldest first; guarded by {@code this}. */
  private final LinkedHashMap<String, Long> sessions = new LinkedHashMap<>();

  /** A new session's id: 256 random bits, URL-safe. */
  public synchronized String open(long nowMillis) {
    forgetExpired(nowMillis);
    if (sessions.size() >= MAX_SESSIONS) {
      Iterator<Map.Entry<String, Long>> oldest = sessions.entrySet().iterator();
      oldest.next();
      oldest.remove();
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    sessions.put(id, nowMillis + LIFETIME.toMillis());
    return id;
  }

  /** Whether {@code id} names a session that has not expired. */
  public synchronized boolean valid(String id, long nowMillis) {
    if (id == null) return false;
    Long expiry = sessions.get(id);
    if (expiry == null) return false;
    if (expiry > nowMillis) return true;
    sessions.remove(id);
    return false;
  }

  synchronized int size() {
    return sessions.size();
  }

  private void forgetExpired(long nowMillis) {
    sessions.values().removeIf(expiry -> expiry <= nowMillis);
  }
}
