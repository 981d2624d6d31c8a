package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.orderer.BlockSourceOptions;
import org.ledgergossip.spi.orderer.BlockSourceProvider;

/**
 * The {@code deliver} {@link BlockSourceProvider}: a client of Fabric's {@code
 * orderer.AtomicBroadcast/Deliver} over gRPC with mutual TLS, as a Fabric peer's deliver service
 * ({@code common/deliverclient/blocksprovider}). Works against a Fabric orderer and against {@link
 * OrdererServer}. The default block source (priority {@value #PRIORITY}).
 *
 * <p><b>What a subscription does.</b> It sends a {@code SeekInfo} from the requested height to the
 * end ({@code BLOCK_UNTIL_READY}), signed by the local identity of {@link BlockSourceOptions#msp()}
 * and bound to the client's TLS certificate. Every block is verified with the peer's block verifier
 * (expected number, previous hash continuing the chain delivered so far, data hash, channel, a
 * signature by an identity of an orderer MSP id) before it reaches the listener; a refused block
 * never does. On any failure (no connection, stream error, refused block, a status instead of a
 * block) {@link BlockSource.Listener#onFailure} is called with the cause ({@link
 * BlockRejectedException}, {@link DeliverStatusException}, or gRPC's {@code
 * StatusRuntimeException}) and how long delivery has failed, and the subscription reconnects from
 * the next height to the next orderer endpoint in turn after a back-off on {@link
 * BlockSourceOptions#scheduler()}: 100 ms doubling to 10 s, reset by a valid block.
 *
 * <p><b>TLS.</b> The client presents {@link BlockSourceOptions#tls()}'s key and chain, trusts its
 * CAs for the orderer's certificate and checks the orderer's host name (the endpoint's host, or
 * {@value #SERVER_NAME_OVERRIDE_PROPERTY}).
 *
 * <p><b>Properties:</b> {@value #ORDERER_MSP_IDS_PROPERTY} (comma-separated, default {@code
 * OrdererMSP}): the MSP ids whose block signatures are accepted; {@value
 * #REQUIRED_SIGNATURES_PROPERTY} (default 1): how many distinct orderer signatures a block needs;
 * {@value #SERVER_NAME_OVERRIDE_PROPERTY}: the host name expected in the orderers' certificates,
 * when it differs from the endpoints' hosts.
 *
 * <p><b>Threading.</b> Each subscription has one daemon thread of its own on which its listener is
 * called, one callback at a time; {@link BlockSource.Listener#onBlock} may block (the next block is
 * requested from the orderer only after it returns). Closing a subscription cancels its stream,
 * interrupts a callback in progress (unless closed from the callback) and waits for it to return.
 *
 * <p><b>Metrics</b> ({@link #create(BlockSourceOptions, MeterRegistry)}, or Micrometer's global
 * registry): {@code deliver_client_failures{reason}} (reasons {@code grpc_unavailable}, {@code
 * status_not_found}, {@code block_bad_signature}, ...), {@code deliver_client_blocks_received}, and
 * the verifier's {@code gossip_block_rejected_total{reason}}. Each failure reason is logged once at
 * WARN, then at DEBUG.
 *
 * <p>Stateless and thread-safe.
 */
@AutoService(BlockSourceProvider.class)
public final class DeliverBlockSourceProvider implements BlockSourceProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "deliver";

  /** The provider's priority, {@value}: the production block source. */
  public static final int PRIORITY = 10;

  /** The property listing the orderer MSP ids. */
  public static final String ORDERER_MSP_IDS_PROPERTY = "deliver.ordererMspIds";

  /** The property setting how many orderer signatures a block needs. */
  public static final String REQUIRED_SIGNATURES_PROPERTY = "deliver.requiredSignatures";

  /** The property naming the host expected in the orderers' TLS certificates. */
  public static final String SERVER_NAME_OVERRIDE_PROPERTY = "deliver.serverNameOverride";

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public DeliverBlockSourceProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * A block source whose metrics go to Micrometer's global registry.
   *
   * @throws IllegalArgumentException if a property or the TLS material is unusable, naming it
   */
  @Override
  public BlockSource create(BlockSourceOptions options) {
    return create(options, Metrics.globalRegistry);
  }

  /**
   * A block source whose metrics go to {@code registry}.
   *
   * @throws IllegalArgumentException if a property or the TLS material is unusable, naming it
   */
  public BlockSource create(BlockSourceOptions options, MeterRegistry registry) {
    requireNonNull(options, "options");
    requireNonNull(registry, "registry");
    Map<String, String> p = options.properties();
    Set<String> ids =
        Arrays.stream(p.getOrDefault(ORDERER_MSP_IDS_PROPERTY, "OrdererMSP").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("option " + ORDERER_MSP_IDS_PROPERTY + " names no MSP id");
    }
    int required;
    try {
      required = Integer.parseInt(p.getOrDefault(REQUIRED_SIGNATURES_PROPERTY, "1").trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option " + REQUIRED_SIGNATURES_PROPERTY + " is not a number", e);
    }
    if (required < 1) {
      throw new IllegalArgumentException(
          "option " + REQUIRED_SIGNATURES_PROPERTY + " must be at least 1, was " + required);
    }
    @Nullable String authority = p.get(SERVER_NAME_OVERRIDE_PROPERTY);
    if (authority != null && authority.isBlank()) {
      throw new IllegalArgumentException(
          "option " + SERVER_NAME_OVERRIDE_PROPERTY + " must not be blank");
    }
    return new DeliverBlockSource(options, ids, required, authority, registry);
  }

  @Override
  public String toString() {
    return "DeliverBlockSourceProvider";
  }
}
