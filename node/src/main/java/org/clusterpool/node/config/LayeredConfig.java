package org.clusterpool.node.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/**
 * Where a JVM of clusterpool reads its settings, from the top: system properties, the layer of a
 * deployment that the launcher names ({@code embedded}, {@code local-cluster}, {@code kubernetes}:
 * what it must set whatever the application says, like no cluster provider in one JVM), the
 * application's own {@code application.conf}, clusterpool's choices among Pekko's settings ({@code
 * config/pekko.conf}), and every {@code reference.conf} (clusterpool's defaults among them). So an
 * application that embeds clusterpool configures it as any library. It replaces {@code
 * ConfigFactory.load("local-cluster")}, which skips {@code application.conf} and reads the layer as
 * the whole config.
 *
 * <p>The reference is read unresolved and resolved with the rest, as a named config file that
 * included the defaults was: a default that refers to another ({@code
 * clusterpool.pipe.max-message-bytes}) follows its change.
 */
public final class LayeredConfig {
  /**
   * Clusterpool's choices among Pekko's own settings, which a reference.conf cannot hold (see the
   * file).
   */
  private static final String PEKKO_DEFAULTS = "pekko.conf";

  private LayeredConfig() {}

  /**
   * The settings of a JVM of this deployment: {@code layer} names a resource ({@code embedded} for
   * embedded.conf).
   */
  public static Config load(String layer) {
    return ConfigFactory.defaultOverrides()
        .withFallback(ConfigFactory.parseResourcesAnySyntax(layer))
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources(PEKKO_DEFAULTS))
        .withFallback(ConfigFactory.defaultReferenceUnresolved())
        .resolve();
  }
}
