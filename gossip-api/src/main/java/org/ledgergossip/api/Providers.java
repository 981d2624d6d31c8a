package org.ledgergossip.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.ledgergossip.spi.Provider;

/**
 * Finds plugin providers through {@link ServiceLoader}: by name, or the available provider with the
 * highest {@link Provider#priority()}.
 *
 * <p>Every lookup reads the class path anew (providers are cheap to create); callers that look up
 * often should keep the result. Thread-safe.
 */
public final class Providers {

  private Providers() {}

  /**
   * The provider of {@code type} named {@code name} on the class path of {@code type}'s class
   * loader, or, when {@code name} is null or blank, the available provider with the highest
   * priority.
   *
   * @throws ProviderNotFoundException if no provider has that name, the named one is not available,
   *     or none is available; the message lists every provider found
   */
  public static <P extends Provider> P load(Class<P> type, @Nullable String name) {
    return load(type, name, classLoaderOf(type));
  }

  /** {@link #load(Class, String)} with the highest-priority available provider. */
  public static <P extends Provider> P load(Class<P> type) {
    return load(type, null);
  }

  /** {@link #load(Class, String)} on the given class loader. */
  public static <P extends Provider> P load(
      Class<P> type, @Nullable String name, ClassLoader classLoader) {
    requireNonNull(type, "type");
    List<P> found = list(type, classLoader);
    if (name == null || name.isBlank()) {
      return found.stream()
          .filter(Providers::available)
          .max(Comparator.comparingInt(Provider::priority))
          .orElseThrow(
              () ->
                  new ProviderNotFoundException(
                      "no available "
                          + type.getSimpleName()
                          + " found; "
                          + describe(found)
                          + ". Add a module that provides one to the class path"));
    }
    Optional<P> named = found.stream().filter(p -> name.equals(p.name())).findFirst();
    if (named.isEmpty()) {
      throw new ProviderNotFoundException(
          "no "
              + type.getSimpleName()
              + " named '"
              + name
              + "'; "
              + describe(found)
              + ". Check the name, or add the module that provides it to the class path");
    }
    P provider = named.get();
    if (!available(provider)) {
      throw new ProviderNotFoundException(
          type.getSimpleName()
              + " '"
              + name
              + "' is on the class path but not available: "
              + reason(provider));
    }
    return provider;
  }

  /**
   * Every provider of {@code type} the service loader finds, sorted by descending priority then
   * name. A provider that fails to load is skipped.
   */
  public static <P extends Provider> List<P> list(Class<P> type, ClassLoader classLoader) {
    requireNonNull(type, "type");
    requireNonNull(classLoader, "classLoader");
    List<P> found = new ArrayList<>();
    ServiceLoader<P> loader = ServiceLoader.load(type, classLoader);
    var iterator = loader.iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          break;
        }
        found.add(iterator.next());
      } catch (ServiceConfigurationError broken) {
        System.getLogger(Providers.class.getName())
            .log(
                System.Logger.Level.WARNING,
                "skipping a " + type.getSimpleName() + " that failed to load: " + broken);
      }
    }
    found.sort(
        Comparator.comparingInt((P p) -> p.priority()).reversed().thenComparing(Provider::name));
    return found;
  }

  /** {@link #list(Class, ClassLoader)} on {@code type}'s class loader. */
  public static <P extends Provider> List<P> list(Class<P> type) {
    return list(type, classLoaderOf(type));
  }

  private static ClassLoader classLoaderOf(Class<?> type) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : type.getClassLoader();
  }

  private static boolean available(Provider p) {
    try {
      return p.isAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static String reason(Provider p) {
    try {
      String r = p.unavailableReason();
      return r == null || r.isBlank() ? "no reason given" : r;
    } catch (RuntimeException | LinkageError e) {
      return e.toString();
    }
  }

  private static String describe(List<? extends Provider> found) {
    if (found.isEmpty()) {
      return "found none";
    }
    return "found: "
        + found.stream()
            .map(
                p ->
                    p.name()
                        + " (priority "
                        + p.priority()
                        + (available(p) ? "" : ", unavailable: " + reason(p))
                        + ", "
                        + p.getClass().getName()
                        + ")")
            .collect(Collectors.joining(", "));
  }
}
