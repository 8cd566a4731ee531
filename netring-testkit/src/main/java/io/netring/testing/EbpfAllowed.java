package io.netring.testing;

import io.netring.filter.EbpfInstruction;
import io.netring.filter.EbpfProgram;
import io.netring.PermissionDeniedException;
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
import java.util.List;

/**
 * Marks tests that load eBPF programs. The kernel decides who may: with
 * {@code kernel.unprivileged_bpf_disabled} set, only CAP_BPF or CAP_SYS_ADMIN in the initial
 * user namespace (an {@code unshare -rn} namespace does not count). The condition loads a
 * two-instruction program once; if the kernel refuses it with EPERM, the test is skipped with
 * that reason, unless NETRING_REQUIRE_PRIVILEGED=1 (.ci/run), which makes it a failure.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(EbpfAllowed.Condition.class)
public @interface EbpfAllowed {

    final class Condition implements ExecutionCondition {
        private static final String SYSCTL = "/proc/sys/kernel/unprivileged_bpf_disabled";
        /** Probed once per JVM: the answer does not change while the tests run. */
        private static volatile String refusal;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String why = refusal();
            if (why.isEmpty()) {
                return ConditionEvaluationResult.enabled("the kernel loads eBPF socket filters for this process");
            }
            if ("1".equals(System.getenv("NETRING_REQUIRE_PRIVILEGED"))) {
                throw new IllegalStateException("NETRING_REQUIRE_PRIVILEGED=1 but this eBPF test would be skipped: " + why);
            }
            return ConditionEvaluationResult.disabled(why);
        }

        static String refusal() {
            String r = refusal;
            if (r == null) {
                r = probe();
                refusal = r;
            }
            return r;
        }

        private static String probe() {
            try (EbpfProgram ignored = EbpfProgram.load(List.of(EbpfInstruction.movImm(EbpfInstruction.R0, 0),
                    EbpfInstruction.exit()))) {
                return "";
            } catch (PermissionDeniedException e) {
                return "unsupported here: the kernel refuses eBPF to this user (" + SYSCTL.substring(10).replace('/', '.')
                        + "=" + sysctl() + "; loading needs CAP_BPF or CAP_SYS_ADMIN in the initial user namespace)";
            } catch (IOException e) {
                // Another refusal is not a matter of privilege: let the test run and report it.
                return "";
            }
        }

        private static String sysctl() {
            try {
                return Files.readString(Path.of(SYSCTL)).strip();
            } catch (IOException e) {
                return "unreadable";
            }
        }
    }
}
