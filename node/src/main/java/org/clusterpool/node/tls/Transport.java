package org.clusterpool.node.tls;

import com.typesafe.config.Config;
import java.util.Locale;

/**
 * How the members of a cluster speak to each other: mutual TLS (the default: a member without a
 * certificate of the cluster's CA can neither join nor send a message) or plain TCP, an explicit
 * choice for speed comparisons, warned about at every start. The setting is Artery's own, {@code
 * pekko.remote.artery.transport} ({@code CLUSTERPOOL_TRANSPORT}).
 */
public enum Transport {
  TLS("tls-tcp", "mutual TLS"),
  TCP("tcp", "plain TCP");

  public static final String SETTING = "pekko.remote.artery.transport";

  private final String artery;
  private final String description;

  Transport(String artery, String description) {
    this.artery = artery;
    this.description = description;
  }

  /** Artery's name for it: {@code tls-tcp} or {@code tcp}. */
  public String artery() {
    return artery;
  }

  /** {@code mutual TLS} or {@code plain TCP}, for humans. */
  public String description() {
    return description;
  }

  /**
   * What {@code pekko.remote.artery.transport} says; anything but {@code tls-tcp} and {@code tcp}
   * is refused in one line.
   */
  public static Transport fromConfig(Config config) {
    String value = config.getString(SETTING);
    for (Transport transport : values()) if (transport.artery.equals(value)) return transport;
    throw new IllegalArgumentException(
        SETTING
            + " (CLUSTERPOOL_TRANSPORT) is '"
            + abbreviate(value)
            + "': accepted tls-tcp (mutual TLS, the default) or tcp (plain, for speed"
            + " comparisons)");
  }

  /**
   * A command line's {@code --transport}: {@code tls} (or Artery's {@code tls-tcp}) or {@code tcp}.
   */
  public static Transport parse(String option) {
    String value = option.trim().toLowerCase(Locale.ROOT);
    if (value.equals("tls") || value.equals("tls-tcp")) return TLS;
    if (value.equals("tcp")) return TCP;
    throw new IllegalArgumentException(
        "--transport takes tls (mutual TLS, the default) or tcp (plain, for speed comparisons),"
            + " got '"
            + abbreviate(option)
            + "'");
  }

  private static String abbreviate(String value) {
    String printable = value.replaceAll("\\p{Cntrl}", "?");
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
  }
}
