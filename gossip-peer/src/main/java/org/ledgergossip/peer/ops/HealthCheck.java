package org.ledgergossip.peer.ops;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * One component's health, as Fabric's {@code healthz} checkers report it: {@code GET /healthz}
 * answers 503 listing {@code {"component":…,"reason":…}} for every check that returns a reason.
 *
 * <p>Implementations must be thread-safe (requests are served by several threads) and quick: a
 * check runs on a request thread while the client waits. A check that throws counts as failed, with
 * the exception as reason.
 */
public interface HealthCheck {

  /** The component's name, as in {@code failed_checks} ({@code ledger}, {@code orderer}, …). */
  String component();

  /** Empty when healthy, else why not, in words an operator can act on. */
  Optional<String> check();

  /** A check of {@code component} made of a supplier. */
  static HealthCheck of(String component, Supplier<Optional<String>> check) {
    requireNonNull(component, "component");
    requireNonNull(check, "check");
    return new HealthCheck() {
      @Override
      public String component() {
        return component;
      }

      @Override
      public Optional<String> check() {
        return check.get();
      }

      @Override
      public String toString() {
        return "HealthCheck[" + component + "]";
      }
    };
  }
}
