package org.ledgergossip.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.api.PkiId;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.transport.TlsCredentials;

/**
 * The rules of the {@link Msp} SPI, with Fabric's wire formats: identities are marshalled {@code
 * msp.SerializedIdentity{mspid, id_bytes = PEM certificate}}, PKI-IDs are {@code SHA-256(mspid ‖
 * id_bytes)}, signatures are ECDSA over SHA-256 in DER with a low {@code s} (Fabric rejects a high
 * {@code s}).
 *
 * <p>Extend it and supply the material through the hooks. A test calls {@link #newMsp()} when it
 * first needs the MSP under test (lazily, so the subclass may generate its material in its own
 * {@code @BeforeEach} or on first use; two rules make a second instance) and closes every MSP it
 * made after the test. The other hooks are called at most once per test, except {@link
 * #signAsOtherPeer}. Rules about time ({@link #expiredIdentity()}) are judged on the MSP's own
 * clock, which the subclass controls.
 *
 * <pre>{@code
 * class X509MspContractTest extends MspContract {
 *   protected Msp newMsp() { return provider.create(layout.mspOptions(1, 0, clock)); }
 *   protected Bytes otherPeerIdentity() { return peer1.localIdentity().serialized(); }
 *   ...
 * }
 * }</pre>
 */
public abstract class MspContract {

  /** Optional abilities an MSP may declare; their rules are skipped when it does not. */
  public enum Capability {
    /** {@link Msp#tlsCredentials()} returns this node's TLS key, certificate and trusted CAs. */
    TLS_CREDENTIALS
  }

  /** The order {@code n} of the NIST P-256 group. */
  protected static final BigInteger P256_ORDER =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private final List<Msp> created = new CopyOnWriteArrayList<>();
  private @Nullable Msp msp;

  /**
   * The MSP under test: the local MSP of some peer, trusting the organisations of every identity
   * the other hooks return. The contract closes it after the test.
   *
   * @throws Exception if it cannot be created (the test then errors)
   */
  protected abstract Msp newMsp() throws Exception;

  /** The serialized identity of another peer (any trusted organisation), valid now. */
  protected abstract Bytes otherPeerIdentity() throws Exception;

  /** Signs {@code message} with the key of {@link #otherPeerIdentity()}. */
  protected abstract byte[] signAsOtherPeer(byte[] message) throws Exception;

  /**
   * An identity claiming the MSP id of a trusted organisation but whose certificate was issued by a
   * CA that organisation does not trust; otherwise valid.
   */
  protected abstract Bytes foreignCaIdentity() throws Exception;

  /** An identity issued by a trusted CA whose certificate expired before the MSP's clock. */
  protected abstract Bytes expiredIdentity() throws Exception;

  /** An identity valid now, which {@link #revoke} will revoke. */
  protected abstract Bytes identityToRevoke() throws Exception;

  /**
   * Revokes {@code identity} where the MSP reads revocations (a CRL of its organisation); the
   * contract then calls {@link Msp#reload()}.
   */
  protected abstract void revoke(Bytes identity) throws Exception;

  /** The capabilities this MSP claims; none unless overridden. */
  protected Set<Capability> capabilities() {
    return EnumSet.noneOf(Capability.class);
  }

  /** The group order of the signing curve; P-256's unless overridden. */
  protected BigInteger curveOrder() {
    return P256_ORDER;
  }

  /** Closes every MSP the test made. */
  @AfterEach
  public void closeMsps() {
    for (Msp m : created) {
      m.close();
    }
    created.clear();
    msp = null;
  }

  /** Rule: the local identity validates, and validation keeps its MSP id, PKI-ID and bytes. */
  @Test
  public void required_localIdentityValidates() throws Exception {
    Identity local = msp().localIdentity();
    Identity validated = msp().validate(local.serialized());
    assertThat(validated.mspId()).isEqualTo(local.mspId());
    assertThat(validated.pkiId()).isEqualTo(local.pkiId());
    assertThat(validated.serialized()).isEqualTo(local.serialized());
  }

  /** Rule: what {@link Msp#sign} signs, the local identity (also once validated) verifies. */
  @Test
  public void required_signAndVerifyRoundTrip() throws Exception {
    Identity validated = msp().validate(msp().localIdentity().serialized());
    for (byte[] message : List.of(new byte[0], "alive".getBytes(UTF_8), new byte[4096])) {
      byte[] signature = msp().sign(message);
      assertThat(msp().localIdentity().verify(message, signature)).isTrue();
      assertThat(validated.verify(message, signature)).isTrue();
    }
  }

  /**
   * Rule (Fabric interop): signatures are a canonical DER {@code SEQUENCE {INTEGER r, INTEGER s}}
   * with {@code s <= n/2}, as Fabric's BCCSP writes them and requires them.
   */
  @Test
  public void required_signaturesAreLowSDer() throws Exception {
    BigInteger half = curveOrder().shiftRight(1);
    for (int i = 0; i < 32; i++) {
      byte[] signature = msp().sign(("message " + i).getBytes(UTF_8));
      BigInteger[] rs = decodeDer(signature);
      assertThat(rs).as("signature %d is DER SEQUENCE{INTEGER, INTEGER}", i).isNotNull();
      assertThat(encodeDer(rs[0], rs[1]))
          .as("signature %d is canonical DER", i)
          .isEqualTo(signature);
      assertThat(rs[1]).as("s of signature %d is at most n/2", i).isLessThanOrEqualTo(half);
    }
  }

  /** Rule: a signature does not verify for a message changed in one bit. */
  @Test
  public void required_tamperedMessageIsRejected() throws Exception {
    byte[] message = "membership request".getBytes(UTF_8);
    byte[] signature = msp().sign(message);
    byte[] tampered = message.clone();
    tampered[3] ^= 0x01;
    assertThat(msp().localIdentity().verify(tampered, signature)).isFalse();
  }

  /** Rule: a signature changed in one bit of {@code r} or of {@code s} does not verify. */
  @Test
  public void required_tamperedSignatureIsRejected() throws Exception {
    byte[] message = "state info".getBytes(UTF_8);
    byte[] signature = msp().sign(message);
    BigInteger[] rs = decodeDer(signature);
    assertThat(rs).isNotNull();
    byte[] badR = encodeDer(rs[0].flipBit(3), rs[1]);
    byte[] badS = encodeDer(rs[0], rs[1].flipBit(5));
    assertThat(msp().localIdentity().verify(message, badR)).isFalse();
    assertThat(msp().localIdentity().verify(message, badS)).isFalse();
  }

  /**
   * Rule (Fabric interop): the high-S twin {@code (r, n - s)} of a valid signature, which plain
   * ECDSA accepts, is rejected, as Fabric's {@code verifyECDSA} rejects it.
   */
  @Test
  public void required_highSSignatureIsRejected() throws Exception {
    byte[] message = "leadership".getBytes(UTF_8);
    byte[] signature = msp().sign(message);
    BigInteger[] rs = decodeDer(signature);
    assertThat(rs).isNotNull();
    byte[] highS = encodeDer(rs[0], curveOrder().subtract(rs[1]));
    Signature plain = Signature.getInstance("SHA256withECDSA");
    plain.initVerify(publicKey(msp().localIdentity()));
    plain.update(message);
    assertThat(plain.verify(highS)).as("the high-S twin is a valid plain ECDSA signature").isTrue();
    assertThat(msp().localIdentity().verify(message, highS)).isFalse();
  }

  /** Rule: malformed signatures make {@link Identity#verify} return false, never throw. */
  @Test
  public void required_malformedSignatureIsFalseNotAnException() throws Exception {
    byte[] message = "data".getBytes(UTF_8);
    byte[] good = msp().sign(message);
    List<byte[]> bad = new ArrayList<>();
    bad.add(new byte[0]);
    bad.add(new byte[] {0x30});
    bad.add(new byte[] {0x30, 0x00});
    bad.add(Arrays.copyOf(good, good.length / 2));
    bad.add(encodeDer(BigInteger.ZERO, BigInteger.ONE));
    bad.add(encodeDer(BigInteger.ONE, BigInteger.ZERO));
    bad.add(encodeDer(curveOrder(), BigInteger.ONE));
    Random random = new Random(42);
    for (int i = 0; i < 20; i++) {
      byte[] noise = new byte[1 + random.nextInt(100)];
      random.nextBytes(noise);
      bad.add(noise);
    }
    Identity local = msp().localIdentity();
    for (byte[] signature : bad) {
      assertThatCode(() -> assertThat(local.verify(message, signature)).isFalse())
          .as("verify of %s", Bytes.copyOf(signature))
          .doesNotThrowAnyException();
    }
  }

  /** Rule: a signature by another peer's key does not verify for the local identity. */
  @Test
  public void required_signatureByAnotherKeyIsRejected() throws Exception {
    byte[] message = "alive".getBytes(UTF_8);
    byte[] foreign = signAsOtherPeer(message);
    assertThat(msp().localIdentity().verify(message, foreign)).isFalse();
  }

  /** Rule: another trusted peer's identity validates, and its signatures verify with it. */
  @Test
  public void required_otherPeerValidatesAndItsSignaturesVerify() throws Exception {
    Identity other = msp().validate(otherPeerIdentity());
    assertThat(other.pkiId()).isNotEqualTo(msp().localIdentity().pkiId());
    byte[] message = "hello".getBytes(UTF_8);
    assertThat(other.verify(message, signAsOtherPeer(message))).isTrue();
  }

  /**
   * Rule (Fabric interop): the PKI-ID is {@code SHA-256(mspid ‖ id_bytes)} of the {@code
   * SerializedIdentity}, the same on every validation and in every MSP instance.
   */
  @Test
  public void required_pkiIdIsSha256OfMspIdAndIdBytes() throws Exception {
    Bytes otherBytes = otherPeerIdentity();
    for (Bytes serialized : List.of(msp().localIdentity().serialized(), otherBytes)) {
      SerializedIdentity sid = SerializedIdentity.parseFrom(serialized.toByteArray());
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(sid.getMspid().getBytes(UTF_8));
      sha256.update(sid.getIdBytes().toByteArray());
      PkiId expected = PkiId.of(sha256.digest());
      assertThat(msp().validate(serialized).pkiId()).isEqualTo(expected);
      assertThat(msp().validate(serialized).pkiId()).isEqualTo(expected);
    }
    Msp second = track(newMsp());
    assertThat(second.localIdentity().pkiId()).isEqualTo(msp().localIdentity().pkiId());
    assertThat(second.validate(otherBytes).pkiId()).isEqualTo(msp().validate(otherBytes).pkiId());
  }

  /**
   * Rule: a validated identity carries exactly the bytes it was read from, the {@code mspid} of
   * those bytes, and the certificate's {@code notAfter} as its expiry.
   */
  @Test
  public void required_identityReflectsItsSerializedForm() throws Exception {
    Bytes serialized = otherPeerIdentity();
    SerializedIdentity sid = SerializedIdentity.parseFrom(serialized.toByteArray());
    Identity other = msp().validate(serialized);
    assertThat(other.serialized()).isEqualTo(serialized);
    assertThat(other.mspId()).isEqualTo(sid.getMspid());
    assertThat(other.expiresAt()).isEqualTo(certificate(other).getNotAfter().toInstant());
  }

  /** Rule: an identity issued by a CA its organisation does not trust is rejected with a reason. */
  @Test
  public void required_foreignCaIdentityIsRejected() throws Exception {
    Bytes foreign = foreignCaIdentity();
    assertRejected(foreign);
  }

  /** Rule: an identity whose certificate has expired on the MSP's clock is rejected. */
  @Test
  public void required_expiredIdentityIsRejected() throws Exception {
    Bytes expired = expiredIdentity();
    assertRejected(expired);
  }

  /**
   * Rule: an identity is accepted until it is revoked, and rejected after the revocation is written
   * and {@link Msp#reload()} is called; other identities stay valid.
   */
  @Test
  public void required_revokedIdentityIsRejectedAfterReload() throws Exception {
    Bytes victim = identityToRevoke();
    Bytes other = otherPeerIdentity();
    assertThat(msp().validate(victim).mspId()).isNotBlank();
    revoke(victim);
    msp().reload();
    assertRejected(victim);
    assertThat(msp().validate(other).serialized()).isEqualTo(other);
  }

  /** Rule: a reload keeps valid identities valid. */
  @Test
  public void required_reloadKeepsValidIdentitiesValid() throws Exception {
    Bytes other = otherPeerIdentity();
    msp().validate(other);
    msp().reload();
    assertThat(msp().validate(other).serialized()).isEqualTo(other);
    assertThat(msp().validate(msp().localIdentity().serialized()).pkiId())
        .isEqualTo(msp().localIdentity().pkiId());
  }

  /** Rule: a valid certificate under an MSP id nobody trusts is rejected, naming that MSP id. */
  @Test
  public void required_unknownMspIsRejected() throws Exception {
    SerializedIdentity local =
        SerializedIdentity.parseFrom(msp().localIdentity().serialized().toByteArray());
    Bytes unknown = serialize("NoSuchOrgMSP", local.getIdBytes().toByteArray());
    assertThatThrownBy(() -> msp().validate(unknown))
        .isInstanceOf(InvalidIdentityException.class)
        .hasMessageContaining("NoSuchOrgMSP");
  }

  /**
   * Rule: garbage (random bytes, truncated or empty fields, broken PEM, a certificate changed in
   * one byte) is rejected with {@link InvalidIdentityException} and a message, never with another
   * exception.
   */
  @Test
  public void required_garbageIsRejectedWithInvalidIdentityException() throws Exception {
    byte[] good = msp().localIdentity().serialized().toByteArray();
    SerializedIdentity sid = SerializedIdentity.parseFrom(good);
    String mspId = sid.getMspid();
    byte[] pem = sid.getIdBytes().toByteArray();
    List<Bytes> garbage = new ArrayList<>();
    garbage.add(Bytes.EMPTY);
    garbage.add(Bytes.copyOf(new byte[] {0}));
    garbage.add(Bytes.copyOf(Arrays.copyOf(good, good.length / 2)));
    garbage.add(serialize("", pem));
    garbage.add(serialize(mspId, new byte[0]));
    garbage.add(serialize(mspId, "garbage".getBytes(UTF_8)));
    garbage.add(
        serialize(
            mspId,
            "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n".getBytes(UTF_8)));
    garbage.add(
        serialize(
            mspId,
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(UTF_8)));
    byte[] flipped = pem.clone();
    flipped[pem.length / 2] = (byte) (flipped[pem.length / 2] == 'A' ? 'B' : 'A');
    garbage.add(serialize(mspId, flipped));
    Random random = new Random(7);
    for (int i = 0; i < 50; i++) {
      byte[] noise = new byte[random.nextInt(300)];
      random.nextBytes(noise);
      garbage.add(Bytes.copyOf(noise));
    }
    for (Bytes g : garbage) {
      assertThatThrownBy(() -> msp().validate(g))
          .as("validate(%s)", g)
          .isInstanceOf(InvalidIdentityException.class)
          .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }
  }

  /** Rule: {@link Msp#close()} is idempotent. */
  @Test
  public void required_closeIsIdempotent() throws Exception {
    Msp m = track(newMsp());
    m.close();
    assertThatCode(m::close).doesNotThrowAnyException();
  }

  /**
   * Rule (capability TLS_CREDENTIALS): the TLS credentials hold a key matching their certificate,
   * and that certificate is issued by one of the trusted TLS CA certificates.
   */
  @Test
  public void optional_tlsCredentialsAreConsistent() throws Exception {
    assumeTrue(
        capabilities().contains(Capability.TLS_CREDENTIALS),
        "MSP does not declare TLS_CREDENTIALS");
    Optional<TlsCredentials> tls = msp().tlsCredentials();
    assertThat(tls).isPresent();
    X509Certificate cert = tls.get().certificate();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(tls.get().privateKey());
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(cert.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(signature)).as("TLS key matches TLS certificate").isTrue();
    assertThat(tls.get().trustedCertificates())
        .as("a trusted TLS CA issued %s", cert.getSubjectX500Principal())
        .anySatisfy(
            ca -> {
              assertThat(ca.getSubjectX500Principal()).isEqualTo(cert.getIssuerX500Principal());
              cert.verify(ca.getPublicKey());
            });
  }

  // ---- helpers ----

  /** The MSP of this test, made by {@link #newMsp()} on first use. */
  protected final Msp msp() throws Exception {
    if (msp == null) {
      msp = track(newMsp());
    }
    return msp;
  }

  private Msp track(Msp m) {
    created.add(m);
    return m;
  }

  private void assertRejected(Bytes identity) {
    assertThatThrownBy(() -> msp().validate(identity))
        .isInstanceOf(InvalidIdentityException.class)
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
  }

  /** A marshalled {@code SerializedIdentity}. */
  protected static Bytes serialize(String mspId, byte[] idBytes) {
    return Bytes.copyOf(
        SerializedIdentity.newBuilder()
            .setMspid(mspId)
            .setIdBytes(ByteString.copyFrom(idBytes))
            .build()
            .toByteArray());
  }

  /** The certificate in an identity's {@code id_bytes}. */
  protected static X509Certificate certificate(Identity identity) throws Exception {
    SerializedIdentity sid = SerializedIdentity.parseFrom(identity.serialized().toByteArray());
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(sid.getIdBytes().toByteArray()));
  }

  private static PublicKey publicKey(Identity identity) throws Exception {
    return certificate(identity).getPublicKey();
  }

  /** {@code {r, s}} of a DER {@code SEQUENCE {INTEGER r, INTEGER s}}, or null if it is not one. */
  protected static BigInteger @Nullable [] decodeDer(byte[] der) {
    try {
      int[] pos = {0};
      if (der[pos[0]++] != 0x30) {
        return null;
      }
      int seqLen = length(der, pos);
      if (pos[0] + seqLen != der.length) {
        return null;
      }
      BigInteger[] out = new BigInteger[2];
      for (int i = 0; i < 2; i++) {
        if (der[pos[0]++] != 0x02) {
          return null;
        }
        int len = length(der, pos);
        out[i] = new BigInteger(Arrays.copyOfRange(der, pos[0], pos[0] + len));
        pos[0] += len;
      }
      return pos[0] == der.length ? out : null;
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException truncated) {
      return null;
    }
  }

  /** The DER {@code SEQUENCE {INTEGER r, INTEGER s}}. */
  protected static byte[] encodeDer(BigInteger r, BigInteger s) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (BigInteger v : List.of(r, s)) {
      byte[] bytes = v.toByteArray();
      body.write(0x02);
      writeLength(body, bytes.length);
      body.writeBytes(bytes);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    writeLength(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static int length(byte[] der, int[] pos) {
    int first = der[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7f;
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | (der[pos[0]++] & 0xff);
    }
    return len;
  }

  private static void writeLength(ByteArrayOutputStream out, int len) {
    if (len < 0x80) {
      out.write(len);
    } else {
      out.write(0x81);
      out.write(len);
    }
  }
}
