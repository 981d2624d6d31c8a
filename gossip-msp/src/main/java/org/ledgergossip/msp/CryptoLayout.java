package org.ledgergossip.msp;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.spi.msp.MspOptions;

/**
 * Where {@link Cryptogen#generate} put everything: the names and folders of Fabric's {@code
 * crypto-config} layout. Peer organisations are numbered from 1 ({@code org1.example.com}, MSP id
 * {@code Org1MSP}), peers from 0 ({@code peer0.org1.example.com}), as cryptogen names them.
 * Immutable and thread-safe; arguments are never null.
 */
public final class CryptoLayout {

  /** The MSP id of the orderer organisation, {@value}. */
  public static final String ORDERER_MSP_ID = "OrdererMSP";

  private final Path root;
  private final Cryptogen.Spec spec;

  CryptoLayout(Path root, Cryptogen.Spec spec) {
    this.root = requireNonNull(root, "root");
    this.spec = requireNonNull(spec, "spec");
  }

  /** The output folder given to {@link Cryptogen#generate}. */
  public Path root() {
    return root;
  }

  /** What was generated. */
  public Cryptogen.Spec spec() {
    return spec;
  }

  /**
   * The MSP id of peer organisation {@code org}: {@code Org<org>MSP}.
   *
   * @throws IndexOutOfBoundsException if {@code org} is not in {@code [1, orgs]}
   */
  public String mspId(int org) {
    return "Org" + checkOrg(org) + "MSP";
  }

  /** The domain of peer organisation {@code org}: {@code org<org>.<domain>}. */
  public String orgDomain(int org) {
    return "org" + checkOrg(org) + "." + spec.domain();
  }

  /** {@code peerOrganizations/org<org>.<domain>}. */
  public Path orgDir(int org) {
    return root.resolve("peerOrganizations").resolve(orgDomain(org));
  }

  /** The organisation's verifying MSP folder, {@code orgDir(org)/msp}. */
  public Path orgMspDir(int org) {
    return orgDir(org).resolve("msp");
  }

  /**
   * The host name of a peer: {@code peer<peer>.org<org>.<domain>}.
   *
   * @throws IndexOutOfBoundsException if {@code peer} is not in {@code [0, peersPerOrg)}
   */
  public String peerName(int org, int peer) {
    if (peer < 0 || peer >= spec.peersPerOrg()) {
      throw new IndexOutOfBoundsException(
          "peer " + peer + " not in [0, " + spec.peersPerOrg() + ")");
    }
    return "peer" + peer + "." + orgDomain(org);
  }

  /** A peer's folder, holding {@code msp/} and {@code tls/}. */
  public Path peerDir(int org, int peer) {
    return orgDir(org).resolve("peers").resolve(peerName(org, peer));
  }

  /**
   * {@code ordererOrganizations/<domain>}.
   *
   * @throws IllegalStateException if the spec has no orderer organisation
   */
  public Path ordererOrgDir() {
    if (!spec.orderer()) {
      throw new IllegalStateException("no orderer organisation was generated");
    }
    return root.resolve("ordererOrganizations").resolve(spec.domain());
  }

  /** The orderer's folder, {@code ordererOrgDir()/orderers/orderer.<domain>}. */
  public Path ordererDir() {
    return ordererOrgDir().resolve("orderers").resolve("orderer." + spec.domain());
  }

  /** MSP id → verifying MSP folder of every generated organisation, orderer included. */
  public Map<String, Path> trustedOrgs() {
    Map<String, Path> out = new LinkedHashMap<>();
    for (int org = 1; org <= spec.orgs(); org++) {
      out.put(mspId(org), orgMspDir(org));
    }
    if (spec.orderer()) {
      out.put(ORDERER_MSP_ID, ordererOrgDir().resolve("msp"));
    }
    return Map.copyOf(out);
  }

  /** Options for the MSP of peer {@code peer} of {@code org}, trusting every organisation. */
  public MspOptions mspOptions(int org, int peer, Clock clock) {
    return new MspOptions(mspId(org), peerDir(org, peer), trustedOrgs(), clock);
  }

  private int checkOrg(int org) {
    if (org < 1 || org > spec.orgs()) {
      throw new IndexOutOfBoundsException("org " + org + " not in [1, " + spec.orgs() + "]");
    }
    return org;
  }

  @Override
  public String toString() {
    return "CryptoLayout[" + root + ", " + spec + "]";
  }
}
