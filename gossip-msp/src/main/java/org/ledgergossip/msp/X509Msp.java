package org.ledgergossip.msp;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.api.Bytes;
import org.ledgergossip.msp.MspFolder.Sourced;
import org.ledgergossip.spi.msp.Identity;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.InvalidIdentityException.Reason;
import org.ledgergossip.spi.msp.Msp;
import org.ledgergossip.spi.msp.MspOptions;
import org.ledgergossip.spi.transport.TlsCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code x509} {@link Msp}: Fabric's MSP folder layout, X.509 certificates with ECDSA keys.
 *
 * <p>As in Fabric, whose local MSP validates the identities of its own organisation, the local MSP
 * folder is the trust material of the local MSP id; every other organisation's comes from its
 * folder in {@link MspOptions#trustedOrgs()}.
 *
 * <p>Trust material (CA certificates and CRLs of every organisation) is an immutable snapshot
 * swapped by {@link #reload()}. Validated identities are cached by their serialized bytes in a
 * bounded LRU map ({@value #CACHE_SIZE} entries) that {@link #reload()} empties; a cache hit only
 * re-checks the validity dates against the clock. Thread-safe: the cache is guarded by a lock held
 * only for map operations, never during cryptography.
 */
final class X509Msp implements Msp {

  static final int CACHE_SIZE = 4096;

  private static final Logger LOG = LoggerFactory.getLogger(X509Msp.class);

  private static final byte[] KEY_PROBE = "ledgergossip key probe".getBytes(StandardCharsets.UTF_8);

  /** Everything {@link #reload()} replaces at once. */
  private record Snapshot(Map<String, OrgTrust> orgs, @Nullable TlsCredentials tls) {}

  private final MspOptions options;
  private final Path mspDir;
  private final X509Identity local;
  private final PrivateKey signingKey;
  private final @Nullable LocalTls localTls;

  private final Object lock = new Object();
  private volatile Snapshot snapshot;

  // Guarded by lock: incremented by every reload, so that a validation that began before a reload
  // does not cache its result after it.
  private long generation;

  // Guarded by lock.
  private final LinkedHashMap<Bytes, X509Identity> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Bytes, X509Identity> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  private X509Msp(
      MspOptions options,
      Path mspDir,
      X509Identity local,
      PrivateKey signingKey,
      @Nullable LocalTls localTls,
      Snapshot snapshot) {
    this.options = options;
    this.mspDir = mspDir;
    this.local = local;
    this.signingKey = Ecdsa.signingKey(signingKey);
    this.localTls = localTls;
    this.snapshot = snapshot;
  }

  /**
   * Reads the local MSP folder and every trusted organisation's folder.
   *
   * @throws InvalidIdentityException naming the file that is missing or invalid
   */
  static X509Msp create(MspOptions options) throws InvalidIdentityException {
    requireNonNull(options, "options");
    Path dir = options.localMspDir();
    if (!Files.isDirectory(dir)) {
      throw new InvalidIdentityException(Reason.MATERIAL, "MSP folder " + dir + " does not exist");
    }
    Path mspDir = MspFolder.mspDir(dir);
    LocalTls tls = LocalTls.read(MspFolder.tlsDir(dir));
    Snapshot snapshot = load(options, mspDir, tls);
    OrgTrust own = snapshot.orgs().get(options.localMspId());

    List<Path> signcerts = MspFolder.files(mspDir.resolve(MspFolder.SIGNCERTS), true);
    Path signcertFile = signcerts.get(0);
    if (signcerts.size() > 1) {
      LOG.warn(
          "{} holds {} files; using {}", signcertFile.getParent(), signcerts.size(), signcertFile);
    }
    X509Certificate cert = MspFolder.certificatesOf(signcertFile).get(0).value();
    X509Identity local;
    try {
      X509Identity raw = X509Identity.parse(X509Identity.serialize(options.localMspId(), cert));
      List<X509Certificate> chain = own.validate(raw, options.clock().instant());
      X509Certificate sanitized = Ecdsa.sanitize(cert, chain.get(1).getPublicKey());
      local =
          sanitized.equals(cert)
              ? raw
              : X509Identity.parse(X509Identity.serialize(options.localMspId(), sanitized));
    } catch (InvalidIdentityException e) {
      throw new InvalidIdentityException(
          "local identity " + signcertFile + " is not valid: " + e.getMessage(), e);
    }
    PrivateKey key = matchingKey(mspDir.resolve(MspFolder.KEYSTORE), cert, signcertFile);
    LOG.info("MSP '{}' loaded from {}: {}", options.localMspId(), mspDir, local);
    return new X509Msp(options, mspDir, local, key, tls, snapshot);
  }

  private static Snapshot load(MspOptions options, Path localMspDir, @Nullable LocalTls tls)
      throws InvalidIdentityException {
    Map<String, OrgTrust> orgs = new TreeMap<>();
    orgs.put(options.localMspId(), OrgTrust.load(options.localMspId(), localMspDir));
    for (Map.Entry<String, Path> e : new TreeMap<>(options.trustedOrgs()).entrySet()) {
      if (!e.getKey().equals(options.localMspId())) {
        orgs.put(e.getKey(), OrgTrust.load(e.getKey(), e.getValue()));
      }
    }
    TlsCredentials credentials = null;
    if (tls != null) {
      Set<X509Certificate> trusted = new LinkedHashSet<>(tls.caCertificates());
      orgs.values().forEach(o -> trusted.addAll(o.tlsCertificates()));
      if (trusted.isEmpty()) {
        throw new InvalidIdentityException(
            "no TLS CA certificate: neither " + tls.dir().resolve("ca.crt") + " nor tlscacerts");
      }
      credentials = new TlsCredentials(tls.key(), tls.certificateChain(), List.copyOf(trusted));
    }
    return new Snapshot(Map.copyOf(orgs), credentials);
  }

  private static PrivateKey matchingKey(Path keystore, X509Certificate cert, Path certFile)
      throws InvalidIdentityException {
    for (Sourced<PrivateKey> key : MspFolder.privateKeys(keystore)) {
      if (matches(key.value(), cert)) {
        return key.value();
      }
    }
    throw new InvalidIdentityException(
        "no private key in " + keystore + " matches the certificate " + certFile);
  }

  /** True if {@code key} signs what {@code cert}'s public key verifies. */
  static boolean matches(PrivateKey key, X509Certificate cert) {
    try {
      return Ecdsa.verify(cert.getPublicKey(), KEY_PROBE, Ecdsa.sign(key, KEY_PROBE));
    } catch (RuntimeException notAnEcKey) {
      return false;
    }
  }

  @Override
  public Identity localIdentity() {
    return local;
  }

  @Override
  public byte[] sign(byte[] message) {
    requireNonNull(message, "message");
    return Ecdsa.sign(signingKey, message);
  }

  @Override
  public Identity validate(Bytes serializedIdentity) throws InvalidIdentityException {
    requireNonNull(serializedIdentity, "serializedIdentity");
    try {
      return validateChecked(serializedIdentity);
    } catch (RuntimeException bug) {
      throw new InvalidIdentityException("cannot validate identity: " + bug, bug);
    }
  }

  private Identity validateChecked(Bytes serialized) throws InvalidIdentityException {
    Snapshot snap;
    long gen;
    X509Identity cached;
    synchronized (lock) {
      cached = cache.get(serialized);
      snap = snapshot;
      gen = generation;
    }
    if (cached != null) {
      OrgTrust.checkDates(cached, options.clock().instant());
      return cached;
    }
    X509Identity id = X509Identity.parse(serialized);
    OrgTrust trust = snap.orgs().get(id.mspId());
    if (trust == null) {
      throw new InvalidIdentityException(
          Reason.UNKNOWN_MSP,
          "unknown MSP '" + id.mspId() + "' (trusted: " + snap.orgs().keySet() + ")");
    }
    trust.validate(id, options.clock().instant());
    synchronized (lock) {
      if (generation == gen) {
        cache.put(serialized, id);
      }
    }
    return id;
  }

  @Override
  public void reload() throws InvalidIdentityException {
    Snapshot fresh = load(options, mspDir, localTls);
    synchronized (lock) {
      snapshot = fresh;
      generation++;
      cache.clear();
    }
    LOG.info("MSP '{}' reloaded trust of {}", options.localMspId(), fresh.orgs().keySet());
  }

  @Override
  public Optional<TlsCredentials> tlsCredentials() {
    return Optional.ofNullable(snapshot.tls());
  }

  @Override
  public void close() {
    synchronized (lock) {
      cache.clear();
    }
  }

  @Override
  public String toString() {
    return "X509Msp[" + options.localMspId() + ", " + mspDir + "]";
  }
}
