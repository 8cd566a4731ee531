package io.netring.internal.linux;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link StructLayout} from members written as in the kernel's headers, so a layout
 * reads like its C struct: {@code "u32 tp_block_size, tp_block_nr; u16 tp_mac; u8 sll_addr[8]"}.
 * Types are u8, u16, u32, u64 and ptr; a member that is itself a layout (a nested struct, a
 * union, padding) is passed as that layout. Alignment and padding are the caller's, as in C.
 */
final class StructDeclarations {
    private StructDeclarations() {}

    /** The struct {@code name} of {@code members}, each a declaration string or a {@link MemoryLayout}. */
    static StructLayout struct(String name, Object... members) {
        List<MemoryLayout> fields = new ArrayList<>();
        for (Object m : members) {
            if (m instanceof MemoryLayout layout) {
                fields.add(layout);
            } else {
                declarations((String) m, fields);
            }
        }
        return MemoryLayout.structLayout(fields.toArray(MemoryLayout[]::new)).withName(name);
    }

    /** Appends the fields of {@code "type a, b[N]; type c"} to {@code fields}. */
    private static void declarations(String text, List<MemoryLayout> fields) {
        for (String declaration : text.split(";")) {
            String d = declaration.strip();
            int space = d.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("declaration '" + d + "' has no type and name");
            }
            ValueLayout type = type(d.substring(0, space));
            for (String n : d.substring(space + 1).split(",")) {
                fields.add(field(type, n.strip()));
            }
        }
    }

    /** {@code name} or {@code name[N]} (an array of N) of {@code type}. */
    private static MemoryLayout field(ValueLayout type, String name) {
        int bracket = name.indexOf('[');
        if (bracket < 0) {
            return type.withName(name);
        }
        long count = Long.parseLong(name.substring(bracket + 1, name.length() - 1));
        return MemoryLayout.sequenceLayout(count, type).withName(name.substring(0, bracket));
    }

    private static ValueLayout type(String type) {
        return switch (type) {
            case "u8" -> ValueLayout.JAVA_BYTE;
            case "u16" -> ValueLayout.JAVA_SHORT;
            case "u32" -> ValueLayout.JAVA_INT;
            case "u64" -> ValueLayout.JAVA_LONG;
            case "ptr" -> ValueLayout.ADDRESS;
            default -> throw new IllegalArgumentException("type '" + type + "': one of u8, u16, u32, u64, ptr");
        };
    }
}
