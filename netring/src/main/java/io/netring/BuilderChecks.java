package io.netring;

import io.netring.internal.linux.LinuxConstants;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the RX and TX builders share, with the same messages. */
final class BuilderChecks {
    private BuilderChecks() {}

    /** A name the kernel could have given an interface: required, under IFNAMSIZ, no '/', ':', NUL or space. */
    static String interfaceName(String interfaceName) {
        if (interfaceName == null || interfaceName.isEmpty()) {
            throw new IllegalArgumentException("interfaceName=" + (interfaceName == null ? "null" : "\"\"")
                    + ": an interface name is required, e.g. interfaceName(\"eth0\")");
        }
        if (interfaceName.getBytes(StandardCharsets.UTF_8).length >= LinuxConstants.IFNAMSIZ) {
            throw new IllegalArgumentException("interfaceName=\"" + interfaceName + "\": must be at most "
                    + (LinuxConstants.IFNAMSIZ - 1) + " bytes (IFNAMSIZ)");
        }
        if (interfaceName.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c == 0)) {
            throw new IllegalArgumentException("interfaceName=\"" + interfaceName
                    + "\": must not contain '/', ':', NUL or white space");
        }
        return interfaceName;
    }

    /** MemTotal from /proc/meminfo in bytes, or 0 when it cannot be read (rings are then not capped by it). */
    static long physicalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not fatal: the kernel still refuses what it cannot allocate.
        }
        return 0;
    }
}
