package io.netring.flow;

/** Why a flow record was emitted; {@link #jsonName()} is the {@code endReason} text of {@code netring flows}. */
public enum FlowEndReason {
    /** FIN from both sides, record emitted with the ACK of the second FIN. */
    FIN("fin", 3),
    /** A RST from either side. */
    RST("rst", 3),
    /** No packet for the idle timeout. */
    IDLE_TIMEOUT("idle", 1),
    /** The flow lasted the active timeout; the next packet starts a new record. */
    ACTIVE_TIMEOUT("active", 2),
    /** The table was full and this was its least recently seen flow. */
    EVICTED("evicted", 5),
    /** The input ended (or the table was flushed) with the flow still open. */
    END_OF_INPUT("end", 4),
    /**
     * The input failed (a file cut mid-record, an interface deleted) with the flow still open:
     * what was seen up to the error, which may be less than the whole flow.
     */
    INPUT_ERROR("input-error", 4);

    private final String jsonName;
    private final int ipfixCode;

    FlowEndReason(String jsonName, int ipfixCode) {
        this.jsonName = jsonName;
        this.ipfixCode = ipfixCode;
    }

    /** The text in the JSON records: fin, rst, idle, active, evicted, end, input-error. */
    public String jsonName() { return jsonName; }

    /** IPFIX flowEndReason (IE 136): 1 idle, 2 active, 3 end detected, 4 forced end, 5 lack of resources. */
    public int ipfixCode() { return ipfixCode; }
}
