package io.netring.decode;

/**
 * What every header view does before it reads: check that its layer is present, then read a
 * field at the header's start plus the field's offset. Each concrete view is final, so after
 * inlining {@link #start()} has one known target and the reads cost what hand-written ones do.
 */
abstract class LayerView {
    final PacketDecoder d;
    private final Layer layer;

    LayerView(PacketDecoder d, Layer layer) {
        this.d = d;
        this.layer = layer;
    }

    /** Offset in the frame of the header's first byte, valid once the layer is known present. */
    abstract int start();

    /** Offset in the frame of the header field {@code field} bytes in; throws when the layer is absent. */
    final int at(int field) {
        d.require(layer);
        return start() + field;
    }

    final int field8(int field) {
        return d.get8(at(field));
    }

    final int field16(int field) {
        return d.get16(at(field));
    }

    final int field32(int field) {
        return d.get32(at(field));
    }

    final long field48(int field) {
        return d.get48(at(field));
    }

    final long field64(int field) {
        return d.get64(at(field));
    }
}
