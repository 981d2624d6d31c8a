package org.ledgergossip.orderer;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.ledgergossip.spi.orderer.BlockSource;
import org.ledgergossip.spi.orderer.BlockSourceOptions;
import org.ledgergossip.spi.orderer.BlockSourceProvider;

/**
 * The {@code emulator} {@link BlockSourceProvider}: block sources that read from an {@link
 * OrdererEmulator} of this process, found by the name it was {@linkplain
 * OrdererEmulator.Builder#name built with}. For tests and the demo; its priority ({@value
 * #PRIORITY}) means it is used only when named.
 *
 * <p>Properties: {@value #NAME_PROPERTY} (default {@value #DEFAULT_NAME}) names the emulator;
 * {@value #ORDERER_MSP_IDS_PROPERTY} (comma-separated, default {@code OrdererMSP}) lists the MSP
 * ids whose signatures are accepted. The endpoints and TLS material of the options are not used.
 *
 * <p>Each block is verified (number, previous hash, data hash, channel, orderer signature by {@link
 * BlockSourceOptions#msp()}) before it reaches the listener. A refused block, a missing emulator or
 * channel, or a dropped old block is reported to {@link BlockSource.Listener#onFailure} and the
 * source subscribes again from the next height after a back-off on {@link
 * BlockSourceOptions#scheduler()} (100 ms doubling up to 10 s). Callbacks run on the emulator's
 * scheduler (or, for failures before a subscription exists, on the options' scheduler), one at a
 * time; they must not block for long.
 *
 * <p>Stateless and thread-safe.
 */
@AutoService(BlockSourceProvider.class)
public final class EmulatorBlockSourceProvider implements BlockSourceProvider {

  /** The provider's name, {@value}. */
  public static final String NAME = "emulator";

  /** The provider's priority, {@value}: never chosen unless named. */
  public static final int PRIORITY = -100;

  /** The property naming the emulator. */
  public static final String NAME_PROPERTY = "emulator.name";

  /** The emulator read when {@value #NAME_PROPERTY} is not set. */
  public static final String DEFAULT_NAME = "default";

  /** The property listing the orderer MSP ids. */
  public static final String ORDERER_MSP_IDS_PROPERTY = "emulator.ordererMspIds";

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public EmulatorBlockSourceProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  /**
   * A block source reading from the emulator named in the options.
   *
   * @throws IllegalArgumentException if a property is empty
   */
  @Override
  public BlockSource create(BlockSourceOptions options) {
    requireNonNull(options, "options");
    String name = options.properties().getOrDefault(NAME_PROPERTY, DEFAULT_NAME);
    if (name.isBlank()) {
      throw new IllegalArgumentException("option " + NAME_PROPERTY + " must not be empty");
    }
    Set<String> ids =
        Arrays.stream(
                options
                    .properties()
                    .getOrDefault(ORDERER_MSP_IDS_PROPERTY, "OrdererMSP")
                    .split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("option " + ORDERER_MSP_IDS_PROPERTY + " names no MSP id");
    }
    return new EmulatorBlockSource(name, ids, options.msp(), options.scheduler());
  }

  @Override
  public String toString() {
    return "EmulatorBlockSourceProvider";
  }
}
