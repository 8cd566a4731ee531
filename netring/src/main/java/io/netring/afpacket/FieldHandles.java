package io.netring.afpacket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Finds the {@link VarHandle} of a field for a {@code static final} initializer. */
public final class FieldHandles {
    private FieldHandles() {}

    /**
     * The handle of field {@code name} (of {@code type}) of the class behind {@code lookup};
     * a missing field is a build error, reported as one while the class initializes.
     */
    public static VarHandle of(MethodHandles.Lookup lookup, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(lookup.lookupClass(), name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
