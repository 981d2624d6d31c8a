package org.ledgergossip.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.ledgergossip.api.time.Clock;
import org.ledgergossip.msp.CryptoLayout;
import org.ledgergossip.msp.Cryptogen;
import org.ledgergossip.msp.X509MspProvider;
import org.ledgergossip.spi.msp.InvalidIdentityException;
import org.ledgergossip.spi.msp.Msp;

/** A cryptogen network in a temporary folder, deleted on close. Not thread-safe. */
final class BenchPki implements AutoCloseable {

  private final Path dir;
  final CryptoLayout layout;

  BenchPki() {
    try {
      dir = Files.createTempDirectory("gossip-bench");
      layout =
          Cryptogen.generate(
              dir, Cryptogen.Spec.builder().orgs(2).peersPerOrg(2).clock(Clock.system()).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Msp msp(int org, int peer) {
    try {
      return new X509MspProvider().create(layout.mspOptions(org, peer, Clock.system()));
    } catch (InvalidIdentityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
