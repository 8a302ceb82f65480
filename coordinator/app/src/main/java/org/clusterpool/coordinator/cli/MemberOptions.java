package org.clusterpool.coordinator.cli;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.clusterpool.coordinator.cli.cluster.SupervisedCluster;
import org.clusterpool.coordinator.input.Echo;
import org.clusterpool.node.NodeOptions;
import org.clusterpool.node.config.LayeredConfig;
import org.clusterpool.node.launcher.Ports;
import org.clusterpool.node.tls.MemberTransport;
import org.clusterpool.node.tls.Transport;
import picocli.CommandLine.Option;

/** Where a cluster member runs: its config, host name, port and the seed nodes it joins. */
final class MemberOptions {
  private static final Pattern SEED =
      Pattern.compile("^pekko://clusterpool@(\\[[0-9a-fA-F:.]+\\]|[^:/@\\s]+):[0-9]{1,5}$");
  private static final List<String> CONFIGS = List.of("local-cluster", "kubernetes");

  @Option(
      names = "--config",
      paramLabel = "NAME",
      description =
          "The settings of config/ to run with: local-cluster (the default) or kubernetes.")
  String config = "local-cluster";

  @Option(
      names = "--hostname",
      paramLabel = "HOST",
      description =
          "The address other members reach this one at (default: the config's, 127.0.0.1 for"
              + " local-cluster).")
  String hostname;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The cluster port; 0 takes any free one.")
  Integer port;

  @Option(
      names = "--seed",
      paramLabel = "ADDRESS",
      description = "A member to join, like pekko://clusterpool@127.0.0.1:25520 (repeatable).")
  List<String> seeds = new ArrayList<>();

  @Option(
      names = "--transport",
      paramLabel = "tls|tcp",
      description =
          "How the members speak: tls (mutual TLS, the default: give this member's certificate with"
              + " --tls-dir) or tcp (plain, for speed comparisons only: whoever reaches the port"
              + " can join).")
  String transport;

  @Option(
      names = "--tls-dir",
      paramLabel = "DIR",
      description =
          "This member's certificate for mutual TLS: DIR holds tls.key (RSA, PEM, mode 0600),"
              + " tls.crt and ca.crt, the cluster's CA (README, Security).")
  Path tlsDir;

  /**
   * A member started by another program for its own use (a test) leaves when that program ends,
   * however it ends.
   */
  @Option(names = "--parent-pid", paramLabel = "PID", hidden = true)
  long parentPid;

  /**
   * The config named by --config, with its environment overrides; an unknown name is a usage error.
   */
  Config config() {
    if (!CONFIGS.contains(config)
        || MemberOptions.class.getClassLoader().getResource(config + ".conf") == null) {
      List<String> present =
          CONFIGS.stream()
              .filter(c -> MemberOptions.class.getClassLoader().getResource(c + ".conf") != null)
              .toList();
      throw new UsageError(
          "unknown --config " + Echo.quote(config) + ": accepted " + String.join(", ", present));
    }
    return LayeredConfig.load(config);
  }

  /**
   * The transport given on the command line, laid over the config's: {@code --tls-dir} (mutual TLS
   * with those files), {@code --transport tcp}; none given: the config's ({@code
   * CLUSTERPOOL_TRANSPORT}, a Kubernetes Secret).
   */
  Optional<MemberTransport> transport() {
    Transport chosen;
    try {
      chosen = transport == null ? null : Transport.parse(transport);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    if (chosen == Transport.TCP && tlsDir != null) {
      throw new UsageError(
          "--tls-dir goes with mutual TLS, not with --transport tcp: leave one out");
    }
    if (tlsDir != null) return Optional.of(MemberTransport.pemDirectory(tlsDir));
    if (chosen == Transport.TCP) return Optional.of(MemberTransport.plainTcp());
    if (chosen == Transport.TLS)
      return Optional.of(
          new MemberTransport(
              Transport.TLS, java.util.Map.of(Transport.SETTING, Transport.TLS.artery())));
    return Optional.empty();
  }

  /**
   * These options for a member started in this JVM: its transport laid over its config, when given.
   */
  NodeOptions withTransport(NodeOptions options) {
    return transport().map(options::withTransport).orElse(options);
  }

  /**
   * As {@link #withTransport(NodeOptions)}; with no transport given, a member of the local-cluster
   * config that speaks mutual TLS takes a certificate of the CA of the cluster that {@code cluster
   * up} runs, when one runs (its key is in the state directory, readable by this user only): {@code
   * clusterpool node --seed ADDRESS} beside {@code cluster up}.
   */
  NodeOptions withTransportOfCluster(NodeOptions options, Config config, String role) {
    if (transport != null || tlsDir != null || !this.config.equals("local-cluster"))
      return withTransport(options);
    if (Transport.fromConfig(config) != Transport.TLS) return options;
    // a certificate given already (system properties of a JVM that another program started) is the
    // member's own
    if (!config
            .getString("pekko.remote.artery.ssl.ssl-engine-provider")
            .equals(MemberTransport.KEY_STORES)
        || !config.getString("pekko.remote.artery.ssl.config-ssl-engine.key-store").isEmpty()) {
      return options;
    }
    try {
      return SupervisedCluster.certificateOfRunningCluster(
              role + "-" + ProcessHandle.current().pid(), config)
          .map(options::withTransport)
          .orElse(options);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }

  List<String> seeds() {
    for (String seed : seeds) {
      if (!SEED.matcher(seed).matches()) {
        throw new UsageError(
            "--seed expects a member's address, like pekko://clusterpool@127.0.0.1:25520, got "
                + Echo.quote(seed));
      }
    }
    return seeds;
  }

  /**
   * The port given, else {@code absent}; a port taken on this machine is a usage error, said before
   * Pekko tries it.
   */
  int port(int absent) {
    int chosen = port != null ? port : absent;
    if (chosen < 0 || chosen > 65535)
      throw new UsageError("--port must be from 0 to 65535, got " + chosen);
    if (chosen > 0 && isLocal(hostname) && !Ports.isFree(chosen)) {
      throw new UsageError(
          "port "
              + chosen
              + " is taken on this machine (another member?): choose another with --port,"
              + " or --port 0 for any free one");
    }
    return chosen;
  }

  /**
   * Loopback or unset (the local-cluster config binds to loopback): a taken port can be seen from
   * here.
   */
  private static boolean isLocal(String hostname) {
    if (hostname == null || hostname.isBlank()) return true;
    try {
      return InetAddress.getByName(hostname).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new UsageError(
          "--hostname " + Echo.quote(hostname) + " is not a known host name or address");
    }
  }
}
