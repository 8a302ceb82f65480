package org.clusterpool.coordinator.connect;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The secret every request to the HTTP API carries ({@code Authorization: Bearer TOKEN}). Made of
 * 256 random bits from {@link SecureRandom} when the API makes it, written URL-safe so that it goes
 * in a header, a file or a shell variable as it is. Compared in constant time: how long a refusal
 * takes says nothing of how much of a guess was right.
 */
public final class ApiToken {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** 256 bits: far more than the 128 a guess must beat. */
  private static final int BYTES = 32;

  /**
   * What a token given by hand must have at least: 16 characters of a URL-safe alphabet carry about
   * 96 bits.
   */
  static final int MIN_LENGTH = 16;

  private static final String BEARER = "Bearer ";

  private final byte[] secret;

  private ApiToken(String secret) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  /** A fresh token: 256 random bits, URL-safe Base64. */
  public static String random() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The token given (config, environment, file): stripped; refused with one line when it is too
   * short to resist a guess, or holds what a header cannot carry.
   */
  public static ApiToken of(String text, String where) {
    String token = text.strip();
    if (token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the HTTP API token from "
              + where
              + " is "
              + token.length()
              + " characters long: it"
              + " takes at least "
              + MIN_LENGTH
              + " (leave it out and one of 256 random bits is made)");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 127) {
        throw new IllegalArgumentException(
            "the HTTP API token from "
                + where
                + " holds a space or a character outside ASCII:"
                + " a token is printable ASCII without spaces, like the ones clusterpool makes");
      }
    }
    return new ApiToken(token);
  }

  /** Whether an {@code Authorization} header carries this token, compared in constant time. */
  public boolean acceptsHeader(Optional<String> authorization) {
    if (authorization.isEmpty()) return false;
    String header = authorization.get().strip();
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) return false;
    byte[] given = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(secret, given);
  }

  /**
   * The token itself, to hand to a client that is to use it (a file, the cluster's state): never to
   * a log.
   */
  public String value() {
    return new String(secret, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ApiToken(hidden)";
  }
}
