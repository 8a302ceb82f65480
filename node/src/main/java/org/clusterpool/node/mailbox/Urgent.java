package org.clusterpool.node.mailbox;

/** Marks a message that overtakes ordinary ones in a {@link UrgentFirstMailbox}. */
public interface Urgent {}
