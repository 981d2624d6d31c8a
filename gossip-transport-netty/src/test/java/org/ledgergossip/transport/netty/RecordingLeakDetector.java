package org.ledgergossip.transport.netty;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Netty's leak detector, keeping what it reports so a test can assert that nothing leaked.
 * Installed for the whole test JVM by {@code -Dio.netty.customResourceLeakDetector} (see the pom),
 * next to {@code -Dio.netty.leakDetection.level=PARANOID}. Public with Netty's constructor: Netty
 * instantiates it by reflection.
 *
 * @param <T> the tracked resource type
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

  /** Hints of leaks a test makes on purpose start with this; they are recorded, not logged. */
  static final String DELIBERATE = "deliberate-leak-";

  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Called by Netty's {@code ResourceLeakDetectorFactory}. */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
    INSTANCES.incrementAndGet();
  }

  /** Netty's factory looks up this older constructor first (and logs an error if it is missing). */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  /** Every leak reported in this JVM so far: the resource type and its access records. */
  static List<String> leaks() {
    return List.copyOf(LEAKS);
  }

  /** True once Netty has created one of these (the system property took effect). */
  static boolean isInstalled() {
    return INSTANCES.get() > 0;
  }

  @Override
  protected boolean needReport() {
    return true;
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add(resourceType + ":" + records);
    if (!records.contains(DELIBERATE)) {
      super.reportTracedLeak(resourceType, records);
    }
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add(resourceType + ": (untraced)");
    super.reportUntracedLeak(resourceType);
  }
}
