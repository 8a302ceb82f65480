package org.clusterpool.node.pipe;

/**
 * What the first end of a pipe offers the second through the cluster: the path of a Unix domain
 * socket on its machine, and the one-time token that the connection to it must show. Only a cluster
 * member learns it (the members' transport carries it), and only this OS user can reach the socket
 * (its folder is private).
 */
public record DirectOffer(String path, String token) {
  @Override
  public String toString() {
    return "DirectOffer(" + path + ")"; // never the token, in logs
  }
}
