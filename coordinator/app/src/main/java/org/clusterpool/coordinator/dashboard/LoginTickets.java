package org.clusterpool.coordinator.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time login tickets for the dashboard: whoever knows the API's token (the CLI) makes one
 * without asking the server, as {@code NONCE.EXPIRY.HMAC} where the HMAC-SHA256, keyed by the
 * token, covers the nonce and the expiry. The server checks it in constant time and redeems it
 * once: the nonces used are remembered until they expire, at most {@link #MAX_REMEMBERED}. A ticket
 * is all a login link holds: the token never goes into a URL or a page.
 */
public final class LoginTickets {
  /**
   * How long a ticket printed by {@code cluster up} or {@code cluster dashboard} may wait to be
   * opened.
   */
  public static final Duration VALID = Duration.ofMinutes(10);

  /**
   * Nonces remembered at most: past it, tickets are refused until some expire (a flood costs
   * bounded memory).
   */
  static final int MAX_REMEMBERED = 10_000;

  private static final int NONCE_BYTES = 16;

  /** A clock that runs a little ahead on the machine that made the ticket must not void it. */
  private static final long SKEW_MILLIS = 60_000;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PURPOSE = "clusterpool-dashboard-login\n";

  private final byte[] key;

  /** nonce -> the expiry of its ticket; guarded by {@code this}. */
  private final Map<String, Long> used = new HashMap<>();

  public LoginTickets(String token) {
    this.key = token.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A fresh ticket for the API whose token is {@code token}, valid {@link #VALID} from {@code
   * nowMillis}.
   */
  public static String make(String token, long nowMillis) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    String n = HexFormat.of().formatHex(nonce);
    long expiry = nowMillis + VALID.toMillis();
    return n + "." + expiry + "." + mac(token.getBytes(StandardCharsets.UTF_8), n, expiry);
  }

  /** Why a ticket was refused, or null when it is redeemed now (and never again). */
  public String redeem(String ticket, long nowMillis) {
    String[] parts = ticket == null ? new String[0] : ticket.strip().split("\\.", -1);
    if (parts.length != 3
        || parts[0].length() != 2 * NONCE_BYTES
        || !parts[0].matches("[0-9a-f]+")) {
      return "the ticket is not one clusterpool made";
    }
    long expiry;
    try {
      expiry = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return "the ticket is not one clusterpool made";
    }
    byte[] given = parts[2].getBytes(StandardCharsets.US_ASCII);
    byte[] expected = mac(key, parts[0], expiry).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, given))
      return "the ticket was not made with this API's token";
    if (expiry <= nowMillis)
      return "the ticket expired (a link is valid " + VALID.toMinutes() + " minutes)";
    if (expiry > nowMillis + VALID.toMillis() + SKEW_MILLIS)
      return "the ticket's expiry is too far ahead";
    synchronized (this) {
      forgetExpired(nowMillis);
      if (used.containsKey(parts[0])) return "the ticket was used already (a link logs in once)";
      if (used.size() >= MAX_REMEMBERED) return "too many logins at once: retry in a few minutes";
      used.put(parts[0], expiry);
    }
    return null;
  }

  private void forgetExpired(long nowMillis) {
    for (Iterator<Long> it = used.values().iterator(); it.hasNext(); ) {
      if (it.next() <= nowMillis) it.remove();
    }
  }

  private static String mac(byte[] key, String nonce, long expiry) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] sum = mac.doFinal((PURPOSE + nonce + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sum);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM: " + e.getMessage(), e);
    }
  }
}
