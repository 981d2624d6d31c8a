package org.ledgergossip.msp;

import com.google.auto.service.AutoService;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.msp.MspProvider;

/**
 * The {@code x509} {@link MspProvider}: Fabric's X.509 MSP on BouncyCastle and the JDK, reading
 * Fabric's MSP folder layout.
 *
 * <p><b>Folders.</b> {@link MspOptions#localMspDir()} may name either a node folder as cryptogen
 * writes it ({@code peers/peer0.org1.example.com}, holding {@code msp/} and {@code tls/}) or its
 * {@code msp/} folder itself, with the TLS material then read from the sibling {@code ../tls}. The
 * MSP folder holds {@code cacerts/} (required), {@code intermediatecerts/}, {@code signcerts/}
 * (required: the first file's first certificate is the local identity), {@code keystore/}
 * (required: PKCS#8 or SEC 1 PEM EC keys, any file name; the one matching the certificate is used),
 * {@code admincerts/} (not read), {@code crls/}, {@code tlscacerts/} and {@code
 * tlsintermediatecerts/}. The TLS folder, when present, holds {@code server.crt}, {@code
 * server.key} (or {@code client.*}) and {@code ca.crt}.
 *
 * <p>Each entry of {@link MspOptions#trustedOrgs()} names an organisation's MSP folder (or the
 * organisation folder holding {@code msp/}); its {@code cacerts}, {@code intermediatecerts}, {@code
 * crls}, {@code tlscacerts} and {@code tlsintermediatecerts} are read. Identities of the local
 * organisation are validated against the local MSP folder (its {@code cacerts}, {@code
 * intermediatecerts}, {@code crls}), as Fabric's local MSP does; an entry for the local MSP id in
 * {@code trustedOrgs} is not read. Revocations of the local organisation therefore go into the
 * local folder's {@code crls} ({@link Cryptogen#revoke} writes every {@code crls} folder of the
 * organisation).
 *
 * <p><b>Identities</b> are Fabric's marshalled {@code msp.SerializedIdentity{mspid, id_bytes = PEM
 * certificate}}; the PKI-ID is {@code SHA-256(mspid ‖ id_bytes)}; signatures are ECDSA over
 * SHA-256, DER, low-S (high-S signatures are rejected, as in Fabric). Validation and its reasons
 * are described on the created {@link Msp}'s {@code validate}: unknown MSP, malformed, expired or
 * not yet valid (against {@link MspOptions#clock()}), not signed by a CA of the organisation,
 * revoked by a CRL of the organisation.
 *
 * <p>Stateless and thread-safe; {@link #create} never returns null and throws {@link
 * InvalidIdentityException} naming the file that is missing or invalid, or saying why the local
 * identity is not valid (expired, revoked, not signed by a CA of its organisation).
 */
@AutoService(MspProvider.class)
public final class X509MspProvider implements MspProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "x509";

  /** The provider's priority, {@value}: the production MSP. */
  public static final int PRIORITY = 10;

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public X509MspProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * Reads the local MSP folder and every trusted organisation's folder (see the class Javadoc).
   *
   * @throws InvalidIdentityException naming the file that is missing or invalid
   * @throws NullPointerException if {@code options} is null
   */
  @Override
  public Msp create(MspOptions options) throws InvalidIdentityException {
    return X509Msp.create(options);
  }

  @Override
  public String toString() {
    return "X509MspProvider";
  }
}
