package org.clusterpool.node.mailbox;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.dispatch.PriorityGenerator;
import org.apache.pekko.dispatch.UnboundedStablePriorityMailbox;

/**
 * A priority mailbox: {@link Urgent} messages first, then the others; within one priority, the
 * order they came in. Selected by name from {@code config/mailboxes.conf} ({@code
 * clusterpool.mailboxes.priority}).
 */
public final class UrgentFirstMailbox extends UnboundedStablePriorityMailbox {

  private static final PriorityGenerator URGENT_FIRST =
      new PriorityGenerator() {
        @Override
        public int gen(Object message) {
          return message instanceof Urgent ? 0 : 1;
        }
      };

  /** The constructor Pekko calls with the mailbox's config section. */
  public UrgentFirstMailbox(ActorSystem.Settings settings, Config config) {
    super(URGENT_FIRST);
  }
}
