package org.ledgergossip.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.auto.service.AutoService;
import org.junit.jupiter.api.Test;
import org.ledgergossip.spi.Provider;

class ProvidersTest {

  /** An SPI that exists only for this test. */
  public interface WidgetProvider extends Provider {}

  /** An SPI nobody provides. */
  public interface NobodyProvider extends Provider {}

  /** A low-priority provider. */
  @AutoService(WidgetProvider.class)
  public static final class Alpha implements WidgetProvider {
    @Override
    public String name() {
      return "alpha";
    }

    @Override
    public int priority() {
      return 5;
    }
  }

  /** The highest priority, but unavailable. */
  @AutoService(WidgetProvider.class)
  public static final class Beta implements WidgetProvider {
    @Override
    public String name() {
      return "beta";
    }

    @Override
    public int priority() {
      return 100;
    }

    @Override
    public boolean isAvailable() {
      return false;
    }

    @Override
    public String unavailableReason() {
      return "native library libbeta.so not found";
    }
  }

  /** A higher priority than alpha, available. */
  @AutoService(WidgetProvider.class)
  public static final class Gamma implements WidgetProvider {
    @Override
    public String name() {
      return "gamma";
    }

    @Override
    public int priority() {
      return 10;
    }
  }

  @Test
  void findsAProviderByName() {
    assertThat(Providers.load(WidgetProvider.class, "alpha")).isInstanceOf(Alpha.class);
  }

  @Test
  void withoutANameTakesTheHighestPriorityAvailableProvider() {
    assertThat(Providers.load(WidgetProvider.class)).isInstanceOf(Gamma.class);
    assertThat(Providers.load(WidgetProvider.class, " ")).isInstanceOf(Gamma.class);
  }

  @Test
  void listsProvidersByDescendingPriority() {
    assertThat(Providers.list(WidgetProvider.class))
        .extracting(Provider::name)
        .containsExactly("beta", "gamma", "alpha");
  }

  @Test
  void unknownNameListsWhatWasFound() {
    assertThatThrownBy(() -> Providers.load(WidgetProvider.class, "netty"))
        .isInstanceOf(ProviderNotFoundException.class)
        .hasMessageStartingWith("no WidgetProvider named 'netty'; found: beta (priority 100,")
        .hasMessageContaining("unavailable: native library libbeta.so not found")
        .hasMessageContaining("gamma (priority 10, " + Gamma.class.getName() + ")")
        .hasMessageContaining("alpha (priority 5, " + Alpha.class.getName() + ")")
        .hasMessageContaining("add the module that provides it");
  }

  @Test
  void namingAnUnavailableProviderSaysWhy() {
    assertThatThrownBy(() -> Providers.load(WidgetProvider.class, "beta"))
        .isInstanceOf(ProviderNotFoundException.class)
        .hasMessage(
            "WidgetProvider 'beta' is on the class path but not available: native library"
                + " libbeta.so not found");
  }

  @Test
  void noProviderAtAllSaysSo() {
    assertThatThrownBy(() -> Providers.load(NobodyProvider.class))
        .isInstanceOf(ProviderNotFoundException.class)
        .hasMessage(
            "no available NobodyProvider found; found none. Add a module that provides one to the"
                + " class path");
  }
}
