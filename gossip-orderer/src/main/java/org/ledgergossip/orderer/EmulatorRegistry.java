package org.ledgergossip.orderer;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The open, named emulators of this process. Thread-safe. */
final class EmulatorRegistry {

  private static final Map<String, OrdererEmulator> OPEN = new ConcurrentHashMap<>();

  private EmulatorRegistry() {}

  static void register(String name, OrdererEmulator emulator) {
    if (OPEN.putIfAbsent(name, emulator) != null) {
      throw new IllegalStateException("an open emulator is already named " + name);
    }
  }

  static void unregister(String name, OrdererEmulator emulator) {
    OPEN.remove(name, emulator);
  }

  static Optional<OrdererEmulator> lookup(String name) {
    return Optional.ofNullable(OPEN.get(name));
  }
}
