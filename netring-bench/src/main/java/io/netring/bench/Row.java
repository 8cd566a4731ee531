package io.netring.bench;

/**
 * One line of the result table. Numbers that do not apply are NaN or -1 and print as "-".
 *
 * @param section RX, TX or micro
 * @param name what ran
 * @param frames frames received (RX) or sent (TX); -1 for micro
 * @param drops kernel drops (RX)
 * @param cpuNsPerPacket user+sys CPU per packet of the consumer (the capture thread for Java)
 * @param processCpuNsPerPacket the whole process's CPU per packet (JIT and GC threads included)
 * @param bytesPerPacket bytes allocated per packet (Java)
 * @param mpps the measured rate in millions of packets per second
 * @param ratio CPU per packet ÷ the floor (RX, micro) or rate ÷ the C TX ring (TX)
 * @param note why a row is missing or anything odd about it
 */
record Row(String section, String name, long frames, long drops, double cpuNsPerPacket,
           double processCpuNsPerPacket, double bytesPerPacket, double mpps, double ratio, String note) {

    static Row skipped(String section, String name, String note) {
        return new Row(section, name, -1, -1, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, note);
    }

    Row withNote(String n) {
        return new Row(section, name, frames, drops, cpuNsPerPacket, processCpuNsPerPacket, bytesPerPacket, mpps, ratio, n);
    }

    Row withName(String n) {
        return new Row(section, n, frames, drops, cpuNsPerPacket, processCpuNsPerPacket, bytesPerPacket, mpps, ratio, note);
    }

    Row withRatio(double r) {
        return new Row(section, name, frames, drops, cpuNsPerPacket, processCpuNsPerPacket, bytesPerPacket, mpps, r, note);
    }
}
