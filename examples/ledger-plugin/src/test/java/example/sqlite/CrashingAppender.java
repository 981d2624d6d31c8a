package example.sqlite;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.ledgergossip.spi.ledger.LedgerOptions;
import org.ledgergossip.spi.ledger.LedgerStore;
import org.ledgergossip.tck.LedgerStoreContract;

/**
 * The child process of {@link SqliteLedgerCrashTest}: opens the {@code sqlite} ledger in {@code
 * args[0]} with {@code sqlite.synchronous=args[1]}, then appends the contract's blocks from its
 * height, printing {@code acked <n>} after each append returns, until it has appended {@code
 * args[2]} blocks or is killed.
 */
final class CrashingAppender {

  private CrashingAppender() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    LedgerOptions options =
        new LedgerOptions(
            "crash",
            Path.of(args[0]),
            Map.of(SqliteLedgerStoreProvider.SYNCHRONOUS_PROPERTY, args[1]));
    long limit = Long.parseLong(args[2]);
    try (LedgerStore store = new SqliteLedgerStoreProvider().open(options)) {
      out.println("opened " + store.height());
      out.flush();
      for (long i = 0; i < limit; i++) {
        long n = store.height();
        store.append(LedgerStoreContract.block(n));
        out.println("acked " + n);
        out.flush();
      }
    }
  }
}
