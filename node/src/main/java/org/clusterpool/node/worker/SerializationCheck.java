package org.clusterpool.node.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.clusterpool.node.protocol.CoordinatorProtocol;
import org.clusterpool.node.protocol.ElementError;
import org.clusterpool.node.protocol.UnitResult;
import org.clusterpool.node.wire.RemoteError;
import org.clusterpool.node.wire.Values;

/**
 * Makes sure the serializer can write a results message before it leaves. One it cannot write is
 * dropped by Artery with a log line, and its chunk runs again and again until it is lost, blaming a
 * healthy input. Only messages that will be serialized (to another JVM, or with {@code
 * serialize-messages}) and that hold record outputs are tried: those are JSON trees built from the
 * task's objects, which can break the serializer's limits (a record nested near {@code
 * pekko.serialization.jackson.write.max-nesting-depth}, deeper once inside the message). Numbers
 * are bytes, and texts and errors always write ({@code LenientText}). An output that cannot be
 * written fails its input alone, naming why; the others keep theirs.
 */
final class SerializationCheck {
  private final Serialization serialization;
  private final boolean serializeLocal;

  SerializationCheck(ActorSystem<?> system) {
    this.serialization = SerializationExtension.get(Adapter.toClassic(system));
    this.serializeLocal = system.settings().config().getBoolean("pekko.actor.serialize-messages");
  }

  /** The message, or the same with the outputs that cannot be written failed. */
  CoordinatorProtocol.UnitsDone checked(
      CoordinatorProtocol.UnitsDone message,
      ActorRef<CoordinatorProtocol.Command> to,
      String where) {
    if (!serializeLocal && !to.path().address().hasGlobalScope()) return message;
    if (message.results().stream().noneMatch(r -> r.outputs() instanceof Values.Jsons))
      return message;
    if (failure(message) == null) return message;
    List<UnitResult> results = new ArrayList<>(message.results().size());
    for (UnitResult result : message.results())
      results.add(
          result.outputs() instanceof Values.Jsons jsons
              ? checked(message, result, jsons, where)
              : result);
    return new CoordinatorProtocol.UnitsDone(
        message.worker(), message.incarnation(), message.seq(), List.copyOf(results));
  }

  private UnitResult checked(
      CoordinatorProtocol.UnitsDone message, UnitResult result, Values.Jsons jsons, String where) {
    if (failure(alone(message, result)) == null) return result;
    List<JsonNode> outputs = new ArrayList<>(jsons.values());
    List<ElementError> errors = new ArrayList<>(result.errors());
    for (int i = 0; i < outputs.size(); i++) {
      JsonNode output = outputs.get(i);
      if (output == null || output.isNull()) continue;
      UnitResult one =
          new UnitResult(
              result.unitId(),
              result.jobId(),
              result.offset() + i,
              new Values.Jsons(List.of(output)),
              List.of(),
              0);
      Throwable failure = failure(alone(message, one));
      if (failure == null) continue;
      outputs.set(i, NullNode.getInstance());
      errors.add(
          new ElementError(
              i,
              RemoteError.of(
                  "ResultNotSerializable",
                  "its result could not be serialized to send: " + RemoteError.describe(failure),
                  where)));
    }
    errors.sort(Comparator.comparingInt(ElementError::index));
    return new UnitResult(
        result.unitId(),
        result.jobId(),
        result.offset(),
        new Values.Jsons(outputs),
        List.copyOf(errors),
        result.nanos());
  }

  private static CoordinatorProtocol.UnitsDone alone(
      CoordinatorProtocol.UnitsDone message, UnitResult result) {
    return new CoordinatorProtocol.UnitsDone(
        message.worker(), message.incarnation(), message.seq(), List.of(result));
  }

  /** Why the serializer cannot write the message; null when it can. */
  private Throwable failure(Object message) {
    try {
      scala.util.Try<byte[]> bytes = serialization.serialize(message);
      return bytes.isFailure() ? bytes.failed().get() : null;
    } catch (Throwable t) { // a serializer that throws rather than fails its Try
      UnitRunner.rethrowIfFatal(t, false);
      return t;
    }
  }
}
