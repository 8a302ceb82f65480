package org.clusterpool.node.mailbox;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.MailboxSelector;
import org.apache.pekko.actor.typed.Props;

/**
 * The mailboxes of {@code config/mailboxes.conf}, by name: {@code bounded-drop}, {@code
 * bounded-pull}, {@code priority}.
 */
public final class Mailboxes {
  private Mailboxes() {}

  public static final String ROOT = "clusterpool.mailboxes";
  public static final String BOUNDED_DROP = "bounded-drop";
  public static final String BOUNDED_PULL = "bounded-pull";
  public static final String PRIORITY = "priority";

  /**
   * The mailbox {@code name} of the config; a name the config lacks is refused, naming those it
   * has.
   */
  public static MailboxSelector selector(Config config, String name) {
    return MailboxSelector.fromConfig(path(config, name));
  }

  /**
   * As {@link #selector}, on Pekko's dispatcher for blocking work: actors that sleep to play slow
   * get threads of their own.
   */
  public static Props blockingWithMailbox(Config config, String name) {
    return DispatcherSelector.blocking().withMailboxFromConfig(path(config, name));
  }

  /** The bound of a bounded mailbox, or {@link Integer#MAX_VALUE} for an unbounded one. */
  public static int capacity(Config config, String name) {
    String path = path(config, name) + ".mailbox-capacity";
    return config.hasPath(path) ? config.getInt(path) : Integer.MAX_VALUE;
  }

  /** The setting of how long a slow consumer waits for its producer. */
  public static final String CONSUMER_GIVE_UP_AFTER = ROOT + ".consumer-give-up-after";

  /**
   * How long a slow consumer waits for its producer before it gives up ({@link
   * #CONSUMER_GIVE_UP_AFTER}).
   */
  public static Duration consumerGiveUpAfter(Config config) {
    Duration d = config.getDuration(CONSUMER_GIVE_UP_AFTER);
    if (d.isNegative() || d.isZero())
      throw new IllegalArgumentException(
          CONSUMER_GIVE_UP_AFTER + " must be positive, got " + d.toMillis() + " ms");
    return d;
  }

  public static int stashCapacity(Config config) {
    return config.getInt(ROOT + ".stash-capacity");
  }

  private static String path(Config config, String name) {
    String path = ROOT + "." + name;
    if (name == null || name.contains(".") || !config.hasPath(path + ".mailbox-type")) {
      throw new IllegalArgumentException(
          "unknown mailbox '"
              + name
              + "': accepted "
              + String.join(", ", names(config))
              + " (config/mailboxes.conf)");
    }
    return path;
  }

  /** The mailboxes the config defines. */
  public static List<String> names(Config config) {
    return config.getConfig(ROOT).root().keySet().stream()
        .filter(key -> config.hasPath(ROOT + "." + key + ".mailbox-type"))
        .sorted()
        .toList();
  }
}
