package org.clusterpool.coordinator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A login ticket: redeemed once, within its 10 minutes, only by the API whose token made it,
 * unaltered.
 */
class LoginTicketsTest {
  private static final String TOKEN = "a-token-of-the-api-long-enough-0123456789";
  private static final long NOW = 1_764_900_000_000L;

  @Test
  void aTicketIsRedeemedOnceAndHoldsNoToken() {
    LoginTickets tickets = new LoginTickets(TOKEN);
    String ticket = LoginTickets.make(TOKEN, NOW);
    assertFalse(ticket.contains(TOKEN));
    assertNull(tickets.redeem(ticket, NOW + 1000));
    assertEquals(
        "the ticket was used already (a link logs in once)", tickets.redeem(ticket, NOW + 2000));
  }

  @Test
  void expiredForgedAndAlteredTicketsAreRefused() {
    LoginTickets tickets = new LoginTickets(TOKEN);
    String ticket = LoginTickets.make(TOKEN, NOW);
    assertTrue(
        tickets
            .redeem(ticket, NOW + LoginTickets.VALID.toMillis())
            .startsWith("the ticket expired"));
    assertEquals(
        "the ticket was not made with this API's token",
        tickets.redeem(LoginTickets.make("another-token-that-is-not-this-apis-token", NOW), NOW));
    String[] parts = LoginTickets.make(TOKEN, NOW).split("\\.");
    String longer = parts[0] + "." + (Long.parseLong(parts[1]) + 86_400_000L) + "." + parts[2];
    assertEquals(
        "the ticket was not made with this API's token",
        tickets.redeem(longer, NOW),
        "the expiry is signed");
    for (String junk : new String[] {"", "a.b.c", "x", parts[0] + "." + parts[1], null}) {
      assertNotNull(tickets.redeem(junk, NOW), String.valueOf(junk));
    }
  }

  @Test
  void theNoncesRememberedAreBounded() {
    LoginTickets tickets = new LoginTickets(TOKEN);
    for (int i = 0; i < LoginTickets.MAX_REMEMBERED; i++)
      assertNull(tickets.redeem(LoginTickets.make(TOKEN, NOW), NOW));
    assertTrue(
        tickets.redeem(LoginTickets.make(TOKEN, NOW), NOW).startsWith("too many logins at once"));
    // once the first ones expire, they are forgotten and logins go on
    long later = NOW + LoginTickets.VALID.toMillis() + 1;
    assertNull(tickets.redeem(LoginTickets.make(TOKEN, later), later));
  }
}
