package io.netring.testing;

import io.netring.Capture;
import io.netring.PermissionDeniedException;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Tries to open a capture and prints {@code class|message|capability} of what went wrong (or
 * {@code OPENED}). Run in a child JVM with fewer privileges by ErrorsIntegrationTest.
 */
public final class OpenCaptureProbe {
    private OpenCaptureProbe() {}

    public static void main(String[] args) {
        try (Capture ignored = Capture.builder().interfaceName(args[0]).blockSize(1 << 16).blockCount(2).build()) {
            System.out.println("OPENED");
        } catch (Exception e) {
            String capability = e instanceof PermissionDeniedException p ? p.capability() : "";
            System.out.println(e.getClass().getName() + "|" + e.getMessage() + "|" + capability);
        }
    }

    /** The directory or jar a class was loaded from. */
    public static String codeLocation(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
