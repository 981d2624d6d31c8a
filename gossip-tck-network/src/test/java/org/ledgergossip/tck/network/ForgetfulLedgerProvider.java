package org.ledgergossip.tck.network;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ledgergossip.api.Block;
import org.ledgergossip.spi.ledger.LedgerException;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.spi.ledger.LedgerStoreProvider;

/**
 * A deliberately broken ledger plugin, {@code forgetful}: kept in this JVM by folder, it loses its
 * last block each time it is reopened, as a store that acknowledges a block before it is durable
 * would after a crash. Registered for the kit's self-test in {@code META-INF/services}.
 */
public final class ForgetfulLedgerProvider implements LedgerStoreProvider {

  private static final Map<String, List<Block>> LEDGERS = new ConcurrentHashMap<>();

  /** Used by the service loader. */
  public ForgetfulLedgerProvider() {}

  @Override
  public String name() {
    return "forgetful";
  }

  @Override
  public int priority() {
    return -1000;
  }

  @Override
  public LedgerStore open(LedgerOptions options) {
    List<Block> blocks =
        LEDGERS.computeIfAbsent(
            options.directory().toAbsolutePath().toString(),
            d -> new java.util.concurrent.CopyOnWriteArrayList<>());
    if (!blocks.isEmpty()) {
      blocks.remove(blocks.size() - 1);
    }
    return new LedgerStore() {
      @Override
      public long height() {
        return blocks.size();
      }

      @Override
      public void append(Block block) throws LedgerException {
        if (block.number() != blocks.size()) {
          throw new LedgerException(
              "block " + block.number() + " is not at height " + blocks.size());
        }
        blocks.add(block);
      }

      @Override
      public java.util.Optional<Block> get(long number) {
        return number >= 0 && number < blocks.size()
            ? java.util.Optional.of(blocks.get((int) number))
            : java.util.Optional.empty();
      }

      @Override
      public List<Block> range(long from, long to) {
        return List.copyOf(
            blocks.subList((int) Math.max(0, from), (int) Math.min(to, blocks.size())));
      }

      @Override
      public void close() {}
    };
  }
}
