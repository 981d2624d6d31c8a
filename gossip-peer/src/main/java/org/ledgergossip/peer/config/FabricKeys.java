package org.ledgergossip.peer.config;

import java.util.List;

/**
 * Keys of Fabric's sample {@code core.yaml} and {@code orderer.yaml} that this project does not
 * use. A file copied from Fabric may set them: they are ignored silently (with their {@code CORE_*}
 * and {@code ORDERER_*} variables), where any other unknown key is warned about. Each entry covers
 * the key and everything under it.
 */
final class FabricKeys {

  /** Fabric {@code core.yaml} keys a gossip peer does not use. */
  static final List<String> CORE_IGNORED =
      List.of(
          "peer.networkId",
          "peer.addressAutoDetect",
          "peer.chaincodeListenAddress",
          "peer.chaincodeAddress",
          "peer.gateway",
          "peer.keepalive",
          "peer.gossip.stateInfoRetentionInterval",
          "peer.gossip.skipBlockVerification",
          "peer.gossip.nonBlockingCommitMode",
          "peer.gossip.pvtData",
          "peer.tls.clientKey",
          "peer.tls.clientCert",
          "peer.tls.serverhostoverride",
          "peer.authentication",
          "peer.BCCSP",
          "peer.client",
          "peer.deliveryclient.reconnectTotalTimeThreshold",
          "peer.deliveryclient.connTimeout",
          "peer.deliveryclient.reConnectBackoffThreshold",
          "peer.deliveryclient.blockCensorshipTimeoutKey",
          "peer.deliveryclient.minimalReconnectInterval",
          "peer.deliveryclient.addressOverrides",
          "peer.deliveryclient.policy",
          "peer.localMspType",
          "peer.profile",
          "peer.handlers",
          "peer.validatorPoolSize",
          "peer.discovery",
          "peer.limits",
          "peer.maxSendMsgSize",
          "vm",
          "chaincode",
          "ledger",
          "logging",
          "metrics.statsd");

  /** Fabric {@code orderer.yaml} keys the ordering-service emulator does not use. */
  static final List<String> ORDERER_IGNORED =
      List.of(
          "General.Keepalive",
          "General.Backoff",
          "General.ConnectionTimeout",
          "General.MaxRecvMsgSize",
          "General.MaxSendMsgSize",
          "General.Throttling",
          "General.Cluster",
          "General.Profile",
          "General.BCCSP",
          "General.Authentication",
          "General.GenesisMethod",
          "General.GenesisFile",
          "General.BootstrapMethod",
          "General.BootstrapFile",
          "General.TLS.TLSHandshakeTimeShift",
          "FileLedger.Prefix",
          "Debug",
          "Operations",
          "Metrics",
          "Admin",
          "ChannelParticipation",
          "Consensus",
          "Kafka");

  private FabricKeys() {}
}
