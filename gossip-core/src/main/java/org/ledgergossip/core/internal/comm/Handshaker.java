package org.ledgergossip.core.internal.comm;

import static java.util.Objects.requireNonNull;
import static org.ledgergossip.core.internal.Arguments.positive;

import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.hyperledger.fabric.protos.gossip.ConnEstablish;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.api.time.Scheduler;
import org.ledgergossip.core.internal.comm.HandshakeException.Reason;
import org.ledgergossip.core.internal.wire.MalformedMessageException;
import org.ledgergossip.core.internal.wire.ReceivedEnvelope;
import org.ledgergossip.core.internal.wire.WireCodec;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.Connection;
import org.ledgergossip.spi.transport.ConnectionHandler;

/**
 * Fabric's connection handshake: each side sends a signed {@code ConnEstablish{pki_id, identity,
 * tls_cert_hash, probe}} as its first frame; each side checks the other's identity with the MSP,
 * that the PKI-ID is the identity's, that the TLS certificate hash is the hash of the certificate
 * the transport saw on this connection (when TLS binding is on), and the signature. Only then does
 * the connection carry other messages.
 *
 * <p>The TLS binding is what defeats a replayed or borrowed handshake: a {@code ConnEstablish} is
 * valid only on a connection whose remote TLS certificate it names, and only the holder of that
 * certificate's key can open such a connection. Without TLS (the in-memory transport without TLS
 * emulation) binding must be switched off, and a replayed handshake cannot be told from a real one
 * — exactly as in Fabric.
 *
 * <p>Every refusal closes the connection, is counted in {@code
 * gossip_comm_handshake_rejected_total{reason}} and logged once at warning level with the remote
 * endpoint and the reason.
 *
 * <p><b>Threading.</b> Immutable and thread-safe; one instance serves every connection of a node.
 * Each {@link Session} is thread-safe.
 */
public final class Handshaker {

  /** Counter of refused handshakes, tagged {@code reason}. */
  public static final String REJECTED_COUNTER = "gossip_comm_handshake_rejected_total";

  private final Msp msp;
  private final WireCodec codec;
  private final Scheduler scheduler;
  private final Duration connTimeout;
  private final boolean tlsBinding;
  private final Map<Reason, Counter> rejected = new EnumMap<>(Reason.class);
  private final Map<String, byte[]> ownHandshakes = new ConcurrentHashMap<>();

  private Handshaker(Builder b) {
    this.msp = requireNonNull(b.msp, "msp");
    this.codec = requireNonNull(b.codec, "codec");
    this.scheduler = requireNonNull(b.scheduler, "scheduler");
    this.connTimeout = b.connTimeout;
    this.tlsBinding = b.tlsBinding;
    MeterRegistry registry = requireNonNull(b.meterRegistry, "meterRegistry");
    for (Reason reason : Reason.values()) {
      rejected.put(
          reason,
          Counter.builder(REJECTED_COUNTER)
              .description("Connection handshakes refused, by reason")
              .tag("reason", reason.metricTag())
              .register(registry));
    }
  }

  /** A builder; msp, codec, scheduler and meter registry are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A handler for one connection's handshake. Give it to the transport (as the dial's handler or
   * from the acceptor) and call {@link Session#start} with the connection once it is known.
   *
   * @param probe true to only authenticate the remote and then close (Fabric's probe)
   * @param next creates the handler for the connection's frames after the handshake; it is not
   *     called for a probe in either direction
   */
  public Session newSession(boolean probe, Function<AuthenticatedPeer, ConnectionHandler> next) {
    return new Session(this, probe, requireNonNull(next, "next"));
  }

  Scheduler scheduler() {
    return scheduler;
  }

  Duration connTimeout() {
    return connTimeout;
  }

  /** Our signed {@code ConnEstablish} frame for this connection; signed once per TLS cert. */
  byte[] ownHandshake(Connection connection, boolean probe) {
    ByteString certHash =
        connection.localCertificate().map(Handshaker::hash).orElse(ByteString.EMPTY);
    String key = probe + ":" + Bytes.copyOf(certHash.toByteArray()).toHex();
    return ownHandshakes.computeIfAbsent(key, k -> sign(certHash, probe));
  }

  private byte[] sign(ByteString certHash, boolean probe) {
    Identity self = msp.localIdentity();
    GossipMessage message =
        GossipMessage.newBuilder()
            .setTag(GossipMessage.Tag.EMPTY)
            .setNonce(0)
            .setConn(
                ConnEstablish.newBuilder()
                    .setPkiId(ByteString.copyFrom(self.pkiId().bytes().asReadOnlyByteBuffer()))
                    .setIdentity(ByteString.copyFrom(self.serialized().asReadOnlyByteBuffer()))
                    .setTlsCertHash(certHash)
                    .setProbe(probe))
            .build();
    ByteString payload = message.toByteString();
    ByteString signature = ByteString.copyFrom(msp.sign(payload.toByteArray()));
    try {
      return codec.encode(WireCodec.envelopeOf(payload, signature));
    } catch (MalformedMessageException e) {
      throw new IllegalStateException("our own handshake does not fit in a frame", e);
    }
  }

  /**
   * Checks the remote's first frame.
   *
   * @throws HandshakeException saying what is wrong with it
   */
  AuthenticatedPeer verify(Connection connection, byte[] frame, boolean probeSession)
      throws HandshakeException {
    ReceivedEnvelope received;
    try {
      received = codec.decode(frame);
    } catch (MalformedMessageException e) {
      throw new HandshakeException(Reason.WRONG_MESSAGE, "first frame refused: " + e.getMessage());
    }
    if (received.contentCase() != GossipMessage.ContentCase.CONN) {
      throw new HandshakeException(
          Reason.WRONG_MESSAGE, "expected ConnEstablish, got " + received.contentCase());
    }
    ConnEstablish conn = received.message().getConn();
    if (conn.getPkiId().isEmpty()) {
      throw new HandshakeException(Reason.NO_PKI_ID, "ConnEstablish without a PKI-ID");
    }
    Identity identity;
    try {
      identity = msp.validate(Bytes.copyOf(conn.getIdentity().toByteArray()));
    } catch (InvalidIdentityException e) {
      Reason reason =
          switch (e.reason()) {
            case EXPIRED -> Reason.IDENTITY_EXPIRED;
            case REVOKED -> Reason.IDENTITY_REVOKED;
            default -> Reason.IDENTITY_REJECTED;
          };
      throw new HandshakeException(reason, "identity refused: " + e.getMessage());
    }
    PkiId claimed = PkiId.of(conn.getPkiId().toByteArray());
    if (!identity.pkiId().equals(claimed)) {
      throw new HandshakeException(
          Reason.PKI_ID_MISMATCH,
          "PKI-ID "
              + claimed
              + " is not the PKI-ID of the identity sent ("
              + identity.pkiId()
              + ")");
    }
    if (tlsBinding) {
      Optional<X509Certificate> tls = connection.peerCertificate();
      if (tls.isEmpty()) {
        throw new HandshakeException(
            Reason.NO_TLS_CERTIFICATE, "no TLS certificate on the connection");
      }
      if (!hash(tls.get()).equals(conn.getTlsCertHash())) {
        throw new HandshakeException(
            Reason.TLS_BINDING_MISMATCH,
            "the TLS certificate hash in the handshake is not the hash of the connection's TLS"
                + " certificate (a replayed or borrowed handshake)");
      }
    }
    ByteString payload = received.envelope().getPayload();
    if (!SignatureVerifier.verify(received, identity)) {
      throw new HandshakeException(
          Reason.BAD_SIGNATURE, "signature does not verify with the identity of " + claimed);
    }
    return new AuthenticatedPeer(
        claimed,
        identity,
        connection,
        Bytes.copyOf(payload.toByteArray()),
        Bytes.copyOf(received.envelope().getSignature().toByteArray()),
        conn.getProbe() || probeSession);
  }

  void countRejection(Reason reason) {
    rejected.get(reason).increment();
  }

  static ByteString hash(X509Certificate certificate) {
    try {
      return ByteString.copyFrom(Hashing.sha256().hashBytes(certificate.getEncoded()).asBytes());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("a certificate of the connection cannot be encoded", e);
    }
  }

  /** Builds a {@link Handshaker}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Msp msp;
    private @Nullable WireCodec codec;
    private @Nullable Scheduler scheduler;
    private @Nullable MeterRegistry meterRegistry;
    private Duration connTimeout = Duration.ofSeconds(2);
    private boolean tlsBinding = true;

    private Builder() {}

    /** The local identity service. */
    public Builder msp(Msp msp) {
      this.msp = requireNonNull(msp, "msp");
      return this;
    }

    /** The codec frames are read and written with. */
    public Builder codec(WireCodec codec) {
      this.codec = requireNonNull(codec, "codec");
      return this;
    }

    /** The scheduler of the handshake timeouts. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Where the rejection counters go. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = requireNonNull(registry, "meterRegistry");
      return this;
    }

    /**
     * How long to wait for the remote's {@code ConnEstablish} ({@code peer.gossip.connTimeout}).
     */
    public Builder connTimeout(Duration timeout) {
      this.connTimeout = positive(timeout, "connTimeout");
      return this;
    }

    /**
     * Whether the remote's TLS certificate must match the hash in its handshake (default true).
     * Switch it off only for a transport without TLS.
     */
    public Builder tlsBinding(boolean required) {
      this.tlsBinding = required;
      return this;
    }

    /** The handshaker. */
    public Handshaker build() {
      return new Handshaker(this);
    }
  }
}
