package io.netring.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Marks tests that need the real kernel: CAP_NET_RAW and CAP_NET_ADMIN (and CAP_SYS_ADMIN for
 * `ip netns`), as root has, or as an unprivileged user has inside `unshare -rn` (bin/test
 * re-runs itself there when it is not root).
 *
 * <p>Without them the test is skipped with the reason, unless NETRING_REQUIRE_PRIVILEGED=1
 * (set by .ci/run), which turns the skip into a failure so CI can never pass by skipping.
 * The one naming rule for kernel tests: this annotation, which tags them {@value #TAG}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(Privileged.TAG)
@ExtendWith(Privileged.Condition.class)
public @interface Privileged {
    /** The JUnit tag of every kernel test: {@code -Dgroups=kernel} runs only them, {@code -DexcludedGroups=kernel} skips them. */
    String TAG = "kernel";

    final class Condition implements ExecutionCondition {
        private static final int CAP_NET_ADMIN = 12;
        private static final int CAP_NET_RAW = 13;
        private static final int CAP_SYS_ADMIN = 21;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String missing = missingCapabilities();
            String reason;
            if (!missing.isEmpty()) {
                reason = "needs " + missing + " (run as root, or through bin/test which re-runs under `unshare -rn`)";
            } else if (!ExternalTool.IP.available()) {
                // every namespace and veth is made with ip(8)
                reason = ExternalTool.IP.missingReason();
            } else {
                return ConditionEvaluationResult.enabled("has CAP_NET_RAW, CAP_NET_ADMIN and a network namespace to use");
            }
            if ("1".equals(System.getenv("NETRING_REQUIRE_PRIVILEGED"))) {
                throw new IllegalStateException("NETRING_REQUIRE_PRIVILEGED=1 but this test would be skipped: " + reason);
            }
            return ConditionEvaluationResult.disabled(reason);
        }

        static String missingCapabilities() {
            long caps = effectiveCapabilities();
            StringBuilder missing = new StringBuilder();
            if ((caps & (1L << CAP_NET_RAW)) == 0) {
                missing.append("CAP_NET_RAW ");
            }
            if ((caps & (1L << CAP_NET_ADMIN)) == 0) {
                missing.append("CAP_NET_ADMIN ");
            }
            if (!NetNamespace.IN_PRIVATE_NETNS && (caps & (1L << CAP_SYS_ADMIN)) == 0) {
                missing.append("CAP_SYS_ADMIN (for ip netns) ");
            }
            return missing.toString().trim();
        }

        private static long effectiveCapabilities() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("CapEff:")) {
                        return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    }
                }
            } catch (IOException e) {
                // fall through: treat as no capabilities
            }
            return 0;
        }
    }
}
