package org.clusterpool.coordinator.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.clusterpool.node.member.MemberReporter;

/**
 * The processes behind the cluster's members: every member's {@link MemberReporter}, found through
 * the receptionist and asked at once. A member that does not answer in time (unreachable, or just
 * starting) is simply missing from the answer.
 */
final class MemberDirectory {
  private final ActorSystem<?> system;

  MemberDirectory(ActorSystem<?> system) {
    this.system = system;
  }

  /** Each answering member's process, by address ({@code pekko://clusterpool@127.0.0.1:25521}). */
  CompletionStage<Map<String, MemberReporter.MemberInfo>> members(Duration timeout) {
    return members(timeout, address -> false);
  }

  /**
   * As {@link #members(Duration)}, without asking the members {@code skip} names (they are missing
   * from the answer).
   */
  CompletionStage<Map<String, MemberReporter.MemberInfo>> members(
      Duration timeout, Predicate<Address> skip) {
    CompletionStage<Receptionist.Listing> listing =
        AskPattern.ask(
            system.receptionist(),
            (ActorRef<Receptionist.Listing> replyTo) ->
                Receptionist.find(MemberReporter.SERVICE_KEY, replyTo),
            timeout,
            system.scheduler());
    return listing.thenCompose(
        found -> {
          List<CompletableFuture<MemberReporter.MemberInfo>> answers = new ArrayList<>();
          for (ActorRef<MemberReporter.Command> reporter :
              found.getServiceInstances(MemberReporter.SERVICE_KEY)) {
            if (skip.test(reporter.path().address())) continue;
            CompletionStage<MemberReporter.MemberInfo> answer =
                AskPattern.ask(
                    reporter, MemberReporter.GetMemberInfo::new, timeout, system.scheduler());
            answers.add(answer.toCompletableFuture().exceptionally(e -> null));
          }
          return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
              .thenApply(
                  all -> {
                    Map<String, MemberReporter.MemberInfo> byAddress = new HashMap<>();
                    for (CompletableFuture<MemberReporter.MemberInfo> answer : answers) {
                      MemberReporter.MemberInfo info = answer.join();
                      if (info != null) byAddress.put(info.address(), info);
                    }
                    return byAddress;
                  });
        });
  }
}
