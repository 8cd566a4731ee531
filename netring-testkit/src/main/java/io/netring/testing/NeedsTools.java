package io.netring.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks tests that run or build against programs outside the JDK (tcpdump, tshark, gcc with
 * libpcap's header …). When one is missing the test is skipped with the reason, unless
 * NETRING_REQUIRE_PRIVILEGED=1 (set by .ci/run, which must not pass by skipping): then it fails.
 * bin/test reads these annotations to say which tests a missing package skips, so write the
 * tools on the annotation's own line.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(NeedsTools.Condition.class)
public @interface NeedsTools {
    /** The tools the test runs; all must be present. */
    ExternalTool[] value();

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            List<ExternalTool> needed = new ArrayList<>();
            context.getElement().map(e -> e.getAnnotation(NeedsTools.class)).ifPresent(a -> needed.addAll(List.of(a.value())));
            String why = missing(needed);
            if (why.isEmpty()) {
                return ConditionEvaluationResult.enabled("the tools it runs are installed");
            }
            if ("1".equals(System.getenv("NETRING_REQUIRE_PRIVILEGED"))) {
                throw new IllegalStateException("NETRING_REQUIRE_PRIVILEGED=1 but this test would be skipped: " + why);
            }
            return ConditionEvaluationResult.disabled(why);
        }

        /** The reasons of the missing ones joined, or "" when all are there. */
        static String missing(List<ExternalTool> tools) {
            List<String> reasons = new ArrayList<>();
            for (ExternalTool t : tools) {
                if (!t.available()) {
                    reasons.add(t.missingReason());
                }
            }
            return String.join("; ", reasons);
        }
    }
}
