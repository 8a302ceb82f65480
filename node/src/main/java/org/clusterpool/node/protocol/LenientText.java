package org.clusterpool.node.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

/**
 * Lets every text reach the other side: the CBOR writer of Pekko's jackson-cbor writes a lone
 * UTF-16 surrogate ({@code "a\ud800b"}, a task's output or an exception's message) as U+FFFD
 * instead of failing the whole message with "Invalid surrogate pair". A message Artery cannot
 * serialize is dropped with one log line, and a dropped result is a chunk that runs again and again
 * until it is lost (see {@code MessageBudget}). Java strings may hold such halves; UTF-8 cannot.
 *
 * <p>A module because Pekko makes its object mappers from config ({@code
 * pekko.serialization.jackson.jackson-modules}, in {@code serialization.conf}), and config reaches
 * every actor system that clusterpool runs in, those made elsewhere included; Pekko's own feature
 * settings do not take CBOR's features.
 */
public final class LenientText extends SimpleModule {
  public LenientText() {
    super("clusterpool-lenient-text");
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    if (context.getOwner() instanceof ObjectMapper mapper
        && mapper.getFactory() instanceof CBORFactory) {
      mapper.setConfig(
          mapper.getSerializationConfig().with(CBORGenerator.Feature.LENIENT_UTF_ENCODING));
    }
  }
}
