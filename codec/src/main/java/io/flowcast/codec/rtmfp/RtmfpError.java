package io.flowcast.codec.rtmfp;

import io.flowcast.codec.Vlu;

/**
 * Result codes of the RTMFP codec. Decoders return {@link #OK} or one of these negative codes, never throw on network
 * input; the caller drops the packet (or, per RFC 7016 §2.3, just the chunk) and counts the code. Encoders return the
 * bytes written or {@link #NO_SPACE}. The values of {@link #TRUNCATED} and {@link #VLU_OVERFLOW} equal those of
 * {@link Vlu}, so a VLU error can be passed straight through.
 */
public final class RtmfpError
{
    /** Success. */
    public static final int OK = 0;
    /** A field (or a VLU) runs past the end of its enclosing structure: packet, chunk or option. */
    public static final int TRUNCATED = Vlu.ERROR_TRUNCATED;
    /** A VLU encodes more than 64 bits. */
    public static final int VLU_OVERFLOW = Vlu.ERROR_OVERFLOW;
    /** A length field claims more bytes than its enclosing structure holds. */
    public static final int LENGTH_PAST_END = -3;
    /** An option list is malformed: bad VLU, an option longer than its list, or no terminating Marker. */
    public static final int MALFORMED_OPTION = -4;
    /** Packet mode 0 (§2.2.4: forbidden, the packet MUST be discarded). */
    public static final int FORBIDDEN_MODE = -5;
    /** A flyweight was asked to wrap a chunk of another type. */
    public static final int WRONG_CHUNK_TYPE = -6;
    /** Next User Data without a preceding User Data chunk in the same packet (§2.3.12). */
    public static final int NO_PRECEDING_USER_DATA = -7;
    /** fsnOffset is zero without ABN, or greater than the sequence number (§2.3.11). */
    public static final int BAD_FSN_OFFSET = -8;
    /** A sequence number or flow ID computation exceeds 2^63 - 1 (sequence numbers that large cannot occur). */
    public static final int SEQUENCE_OVERFLOW = -9;
    /** An Internet socket address (§2.1.5) is truncated. */
    public static final int BAD_ADDRESS = -10;
    /** A chunk whose payload must be empty (or must not be) has the wrong length. */
    public static final int BAD_CHUNK_LENGTH = -11;
    /** Encoding: the chunk does not fit under the limit; nothing was written past it. */
    public static final int NO_SPACE = -12;

    private RtmfpError()
    {
    }

    /**
     * @param code a result code.
     * @return its name, for logs and counters.
     */
    public static String name(final int code)
    {
        switch (code)
        {
            case OK: return "OK";
            case TRUNCATED: return "TRUNCATED";
            case VLU_OVERFLOW: return "VLU_OVERFLOW";
            case LENGTH_PAST_END: return "LENGTH_PAST_END";
            case MALFORMED_OPTION: return "MALFORMED_OPTION";
            case FORBIDDEN_MODE: return "FORBIDDEN_MODE";
            case WRONG_CHUNK_TYPE: return "WRONG_CHUNK_TYPE";
            case NO_PRECEDING_USER_DATA: return "NO_PRECEDING_USER_DATA";
            case BAD_FSN_OFFSET: return "BAD_FSN_OFFSET";
            case SEQUENCE_OVERFLOW: return "SEQUENCE_OVERFLOW";
            case BAD_ADDRESS: return "BAD_ADDRESS";
            case BAD_CHUNK_LENGTH: return "BAD_CHUNK_LENGTH";
            case NO_SPACE: return "NO_SPACE";
            default: return code >= 0 ? "OK(" + code + ")" : "UNKNOWN(" + code + ")";
        }
    }
}
