package org.ledgergossip.orderer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Counts refusals and failures by reason in one counter with a {@code reason} tag, and logs each
 * reason at WARN the first time, at DEBUG after. Reasons are lower-case words from a small fixed
 * vocabulary (never network input), so the tag stays bounded. Thread-safe.
 */
final class Refusals {

  private final MeterRegistry registry;
  private final String counter;
  private final String description;
  private final Logger log;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  Refusals(MeterRegistry registry, String counter, String description, Logger log) {
    this.registry = registry;
    this.counter = counter;
    this.description = description;
    this.log = log;
  }

  /** Counts one refusal for {@code reason} and logs {@code what}. */
  void record(String reason, String what) {
    String tag = reason.toLowerCase(Locale.ROOT);
    Counter.builder(counter)
        .description(description)
        .tag("reason", tag)
        .register(registry)
        .increment();
    if (warned.add(tag)) {
      log.warn("{} ({}; further ones are logged at debug)", what, tag);
    } else {
      log.debug("{} ({})", what, tag);
    }
  }

  /** The count for {@code reason} so far. */
  double count(String reason) {
    Counter c = registry.find(counter).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }
}
