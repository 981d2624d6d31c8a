package org.ledgergossip.spi.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.ledgergossip.api.Endpoint;

class ForwardingConnectionTest {

  private final List<String> calls = new ArrayList<>();
  private final Endpoint endpoint = new Endpoint("peer0", 7051);
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private final Connection recording =
      (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                calls.add(method.getName());
                return switch (method.getName()) {
                  case "remoteEndpoint", "localEndpoint" -> endpoint;
                  case "isClient", "isOpen" -> true;
                  case "send" -> SendResult.QUEUED;
                  case "peerCertificate", "localCertificate" -> Optional.empty();
                  case "droppedFrames" -> 7L;
                  case "closeFuture" -> closed;
                  case "toString" -> "recording";
                  default -> null;
                };
              });

  private final Connection forwarding =
      new ForwardingConnection() {
        @Override
        protected Connection delegate() {
          return recording;
        }
      };

  @Test
  void everyMethodOfConnectionIsForwardedWithItsResult() throws Exception {
    List<String> abstractMethods = new ArrayList<>();
    for (Method m : Connection.class.getMethods()) {
      if (!Modifier.isAbstract(m.getModifiers())) {
        continue;
      }
      abstractMethods.add(m.getName());
      Object[] args = m.getParameterCount() == 0 ? null : new Object[] {new byte[] {1}};
      Object viaForwarding = m.invoke(forwarding, args);
      Object direct = m.invoke(recording, args);
      assertThat(viaForwarding).as(m.getName()).isEqualTo(direct);
    }
    assertThat(abstractMethods).hasSize(10);
    for (String name : abstractMethods) {
      assertThat(calls).as(name).filteredOn(name::equals).hasSize(2);
    }
    assertThat(forwarding).hasToString("recording");
  }

  @Test
  void aSubclassChangesOnlyWhatItOverrides() {
    Connection counting =
        new ForwardingConnection() {
          @Override
          protected Connection delegate() {
            return recording;
          }

          @Override
          public long droppedFrames() {
            return 42;
          }
        };
    assertThat(counting.droppedFrames()).isEqualTo(42);
    assertThat(counting.send(new byte[1])).isEqualTo(SendResult.QUEUED);
    assertThat(calls).containsExactly("send");
  }
}
