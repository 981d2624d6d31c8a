package org.ledgergossip.core.internal.comm;

import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * A small MSP for the handshake's unit tests: an identity is {@code SerializedIdentity{mspid,
 * id_bytes = the DER public key}} (a real MSP puts a certificate there), accepted when its MSP id
 * is trusted; signatures are real ECDSA P-256. The X.509 MSP is exercised by the integration tests.
 */
final class TestMsp implements Msp {

  private final KeyPair keys;
  private final Set<String> trusted;
  private final TestIdentity self;

  TestMsp(String mspId, Set<String> trusted) {
    this(mspId, trusted, newKeys());
  }

  private TestMsp(String mspId, Set<String> trusted, KeyPair keys) {
    this.keys = keys;
    this.trusted = Set.copyOf(trusted);
    this.self = new TestIdentity(mspId, keys.getPublic());
  }

  /** An MSP that holds its own key but claims {@code victim}'s identity: an impostor. */
  static TestMsp impostorOf(TestMsp victim) {
    return new TestMsp(new TestMsp(victim.self.mspId(), victim.trusted), victim.self);
  }

  private TestMsp(TestMsp keysOf, TestIdentity claimed) {
    this.keys = keysOf.keys;
    this.trusted = keysOf.trusted;
    this.self = claimed;
  }

  @Override
  public Identity localIdentity() {
    return self;
  }

  @Override
  public byte[] sign(byte[] message) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(keys.getPrivate());
      s.update(message);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Identity validate(Bytes serialized) throws InvalidIdentityException {
    SerializedIdentity si;
    try {
      si = SerializedIdentity.parseFrom(serialized.toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidIdentityException("not a SerializedIdentity", e);
    }
    if (!trusted.contains(si.getMspid())) {
      throw new InvalidIdentityException("unknown MSP '" + si.getMspid() + "'");
    }
    try {
      PublicKey key =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(si.getIdBytes().toByteArray()));
      return new TestIdentity(si.getMspid(), key);
    } catch (GeneralSecurityException e) {
      throw new InvalidIdentityException("not a public key", e);
    }
  }

  @Override
  public void reload() {}

  @Override
  public Optional<TlsCredentials> tlsCredentials() {
    return Optional.empty();
  }

  @Override
  public void close() {}

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An identity of this test MSP. */
  static final class TestIdentity implements Identity {
    private final String mspId;
    private final PublicKey key;
    private final Bytes serialized;
    private final PkiId pkiId;

    TestIdentity(String mspId, PublicKey key) {
      this.mspId = mspId;
      this.key = key;
      byte[] idBytes = key.getEncoded();
      this.serialized =
          Bytes.copyOf(
              SerializedIdentity.newBuilder()
                  .setMspid(mspId)
                  .setIdBytes(ByteString.copyFrom(idBytes))
                  .build()
                  .toByteArray());
      this.pkiId =
          PkiId.of(
              Hashing.sha256()
                  .newHasher()
                  .putBytes(mspId.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                  .putBytes(idBytes)
                  .hash()
                  .asBytes());
    }

    @Override
    public String mspId() {
      return mspId;
    }

    @Override
    public PkiId pkiId() {
      return pkiId;
    }

    @Override
    public Bytes serialized() {
      return serialized;
    }

    @Override
    public Instant expiresAt() {
      return Instant.MAX;
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
      try {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(key);
        s.update(message);
        return s.verify(signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
  }
}
