package io.netring.internal.linux;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Struct layouts written as C declarations: the same layout as written out by hand; bad text refused. */
class StructDeclarationsTest {

    @Test
    void declarationsGiveTheLayoutWrittenOut() {
        StructLayout inner = MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("x")).withName("inner");
        StructLayout declared = StructDeclarations.struct("s",
                "u16 a, b; u32 c; u8 d[3]", MemoryLayout.paddingLayout(1), inner.withName("n"), "u64 e; ptr p");
        StructLayout written = MemoryLayout.structLayout(
                ValueLayout.JAVA_SHORT.withName("a"),
                ValueLayout.JAVA_SHORT.withName("b"),
                ValueLayout.JAVA_INT.withName("c"),
                MemoryLayout.sequenceLayout(3, ValueLayout.JAVA_BYTE).withName("d"),
                MemoryLayout.paddingLayout(1),
                inner.withName("n"),
                ValueLayout.JAVA_LONG.withName("e"),
                ValueLayout.ADDRESS.withName("p")).withName("s");
        assertEquals(written, declared);
    }

    @Test
    void unknownTypesAndMissingNamesAreRefused() {
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> StructDeclarations.struct("s", "int a"));
        assertEquals("type 'int': one of u8, u16, u32, u64, ptr", type.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> StructDeclarations.struct("s", "u32"));
        assertEquals("declaration 'u32' has no type and name", name.getMessage());
    }
}
