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
        return interfaceName("interfaceName", "interfaceName(\"eth0\")", interfaceName);
    }

    /**
     * {@link #interfaceName(String)} for a parameter called {@code param} in the messages;
     * {@code example} shows a correct call.
     */
    static String interfaceName(String param, String example, String interfaceName) {
        if (interfaceName == null || interfaceName.isEmpty()) {
            throw new IllegalArgumentException(param + "=" + (interfaceName == null ? "null" : "\"\"")
                    + ": an interface name is required, e.g. " + example);
        }
        if (interfaceName.getBytes(StandardCharsets.UTF_8).length >= LinuxConstants.IFNAMSIZ) {
            throw new IllegalArgumentException(param + "=\"" + printable(interfaceName) + "\": must be at most "
                    + (LinuxConstants.IFNAMSIZ - 1) + " bytes (IFNAMSIZ)");
        }
        if (interfaceName.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c == 0)) {
            throw new IllegalArgumentException(param + "=\"" + printable(interfaceName)
                    + "\": must not contain '/', ':', NUL or white space (the kernel's rule for interface names;"
                    + " 'eth0:1' is an address label, not an interface)");
        }
        return interfaceName;
    }

    /** The name with control characters (a NUL) shown as \\uXXXX, so the message stays one readable line. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.chars().forEach(c -> sb.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return sb.toString();
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
