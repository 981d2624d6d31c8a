package org.ledgergossip.tck;

import static java.util.Objects.requireNonNull;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Runs one contract class (a subclass of a kit contract) through JUnit's engine and tells which
 * rules passed, failed or were skipped. The kit's own tests use it to prove that each contract
 * fails on a deliberately broken implementation; an implementer can use it the same way to show the
 * kit catches what they break on purpose.
 *
 * <p>A rule whose capability the implementation does not declare shows as skipped ("aborted" in
 * JUnit's words: a failed assumption), never as passed. Immutable after the run; thread-safe.
 */
public final class ContractRun {

  private final Class<?> contract;
  private final NavigableSet<String> succeeded;
  private final NavigableSet<String> failed;
  private final NavigableSet<String> skipped = new TreeSet<>();
  private final Map<String, String> reasons = new TreeMap<>();

  private ContractRun(Class<?> contract, Events tests) {
    this.contract = contract;
    this.succeeded = names(tests.succeeded());
    this.failed = names(tests.failed());
    tests.failed().stream()
        .forEach(
            e ->
                e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                    .ifPresent(
                        t ->
                            reasons.put(
                                ruleName(e),
                                String.valueOf(t.getMessage())
                                    .strip()
                                    .lines()
                                    .findFirst()
                                    .orElse(t.getClass().getSimpleName()))));
    skipped.addAll(names(tests.aborted()));
    skipped.addAll(names(tests.skipped()));
  }

  /** Runs every rule of {@code contract} now, on the calling thread. */
  public static ContractRun of(Class<?> contract) {
    requireNonNull(contract, "contract");
    Events tests =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(contract))
            .execute()
            .testEvents();
    return new ContractRun(contract, tests);
  }

  /** Names of the rules that passed, sorted. */
  public NavigableSet<String> succeeded() {
    return Collections.unmodifiableNavigableSet(succeeded);
  }

  /** Names of the rules that failed, sorted. */
  public NavigableSet<String> failed() {
    return Collections.unmodifiableNavigableSet(failed);
  }

  /** Names of the rules that were skipped (capability not declared), sorted. */
  public NavigableSet<String> skipped() {
    return Collections.unmodifiableNavigableSet(skipped);
  }

  /** Why each failed rule failed: the first line of its assertion message, by rule. */
  public Map<String, String> reasons() {
    return Collections.unmodifiableMap(reasons);
  }

  /**
   * One line per rule: {@code PASSED|FAILED|SKIPPED required|optional <rule>}, a failed rule
   * followed by its reason on the next line ({@code because: ...}), then a summary line {@code N
   * passed, N failed, N skipped}.
   */
  public String report() {
    StringBuilder sb =
        new StringBuilder("contract run of ").append(contract.getName()).append('\n');
    NavigableSet<String> all = new TreeSet<>(succeeded);
    all.addAll(failed);
    all.addAll(skipped);
    for (String rule : all) {
      String outcome =
          failed.contains(rule) ? "FAILED " : skipped.contains(rule) ? "SKIPPED" : "PASSED ";
      String strength = rule.startsWith("optional_") ? "optional" : "required";
      sb.append(outcome).append(' ').append(strength).append(' ').append(rule).append('\n');
      String reason = reasons.get(rule);
      if (reason != null) {
        sb.append("        because: ").append(reason).append('\n');
      }
    }
    return sb.append(succeeded.size())
        .append(" passed, ")
        .append(failed.size())
        .append(" failed, ")
        .append(skipped.size())
        .append(" skipped")
        .toString();
  }

  @Override
  public String toString() {
    return report();
  }

  private static String ruleName(Event e) {
    return e.getTestDescriptor()
        .getSource()
        .filter(MethodSource.class::isInstance)
        .map(s -> ((MethodSource) s).getMethodName())
        .orElse(e.getTestDescriptor().getDisplayName());
  }

  private static NavigableSet<String> names(Events events) {
    NavigableSet<String> out = new TreeSet<>();
    events.stream()
        .map(Event::getTestDescriptor)
        .forEach(
            d ->
                d.getSource()
                    .filter(MethodSource.class::isInstance)
                    .map(s -> ((MethodSource) s).getMethodName())
                    .ifPresent(out::add));
    return out;
  }
}
