package org.clusterpool.node.bootstrap;

import com.typesafe.config.Config;
import java.nio.file.NoSuchFileException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a member finds the others when nobody can tell it a seed node (on Kubernetes, pods come and
 * go with new addresses). Cluster Bootstrap asks the config's discovery method (the Kubernetes API
 * in {@code config/kubernetes.conf}) for the cluster's pods and probes their Pekko Management
 * endpoints; the pod with the lowest address forms the cluster when none exists, and every other
 * joins the one that does.
 *
 * <p>Pekko Management also serves what Kubernetes probes: {@code /alive}, and {@code /ready}, which
 * stays red until this member is Up, so that no Service sends it traffic before it can serve.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /**
   * The switch: on in {@code config/kubernetes.conf}; absent (off) everywhere else, where seed
   * nodes are given.
   */
  public static final String ENABLED = "clusterpool.bootstrap.enabled";

  public static boolean enabled(Config config) {
    return config.hasPath(ENABLED) && config.getBoolean(ENABLED);
  }

  /**
   * Starts Pekko Management and Cluster Bootstrap. A member whose Management cannot bind stops: its
   * probes would never answer and no other member could reach its contact point, so Kubernetes had
   * better start a new one.
   *
   * @throws IllegalStateException when the bootstrap cannot start (the system is stopped): the
   *     discovery client reads the API server's CA certificate at once, and a pod without its
   *     service account token has none
   */
  public static void start(ActorSystem<?> system) {
    Logger log = LoggerFactory.getLogger(Bootstrap.class);
    PekkoManagement.get(system)
        .start()
        .whenComplete(
            (uri, error) -> {
              if (error != null) {
                log.error(
                    "Pekko Management could not start ({}): this member stops, since neither the"
                        + " health checks nor the bootstrap contact point could answer",
                    error.getMessage());
                system.terminate();
              } else {
                log.info(
                    "Pekko Management at {}: health checks at /alive and /ready, bootstrap contact"
                        + " point at /bootstrap",
                    uri);
              }
            });
    try {
      ClusterBootstrap.get(system).start();
    } catch (Exception e) { // Scala code: a missing file comes as an undeclared NoSuchFileException
      system.terminate();
      throw new IllegalStateException("Cluster Bootstrap could not start: " + describe(e), e);
    }
  }

  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no file "
          + e.getMessage()
          + " (a pod finds its service account's token and the API's CA certificate there; is"
          + " automountServiceAccountToken off? Elsewhere, set"
          + " pekko.discovery.kubernetes-api.api-ca-path)";
    }
    return e.toString();
  }
}
