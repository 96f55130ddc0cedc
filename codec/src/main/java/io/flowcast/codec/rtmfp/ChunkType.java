package io.flowcast.codec.rtmfp;

/**
 * Chunk type codes, RFC 7016 §2.3. A receiver ignores a chunk of unknown type (§2.3), such as rtmfp-cpp's
 * experimental {@link #ECN_REPORT_EXPERIMENTAL}.
 */
public final class ChunkType
{
    /** Packet Fragment, §2.3.1. */
    public static final int PACKET_FRAGMENT = 0x7f;
    /** Initiator Hello, §2.3.2. */
    public static final int IHELLO = 0x30;
    /** Forwarded Initiator Hello, §2.3.3. */
    public static final int FORWARDED_IHELLO = 0x0f;
    /** Responder Hello, §2.3.4. */
    public static final int RHELLO = 0x70;
    /** Responder Redirect, §2.3.5. */
    public static final int REDIRECT = 0x71;
    /** RHello Cookie Change, §2.3.6. */
    public static final int RHELLO_COOKIE_CHANGE = 0x79;
    /** Initiator Initial Keying, §2.3.7. */
    public static final int IIKEYING = 0x38;
    /** Responder Initial Keying, §2.3.8. */
    public static final int RIKEYING = 0x78;
    /** Ping, §2.3.9. */
    public static final int PING = 0x01;
    /** Ping Reply, §2.3.10. */
    public static final int PING_REPLY = 0x41;
    /** User Data, §2.3.11. */
    public static final int USER_DATA = 0x10;
    /** Next User Data, §2.3.12. */
    public static final int NEXT_USER_DATA = 0x11;
    /** Data Acknowledgement Bitmap, §2.3.13. */
    public static final int DATA_ACK_BITMAP = 0x50;
    /** Data Acknowledgement Ranges, §2.3.14. */
    public static final int DATA_ACK_RANGES = 0x51;
    /** Buffer Probe, §2.3.15. */
    public static final int BUFFER_PROBE = 0x18;
    /** Flow Exception Report, §2.3.16. */
    public static final int FLOW_EXCEPTION_REPORT = 0x5e;
    /** Session Close Request, §2.3.17. */
    public static final int SESSION_CLOSE_REQUEST = 0x0c;
    /** Session Close Acknowledgement, §2.3.18. */
    public static final int SESSION_CLOSE_ACK = 0x4c;
    /** Ignore/Padding, §2.3. */
    public static final int PADDING_00 = 0x00;
    /** Ignore/Padding, §2.3. */
    public static final int PADDING_FF = 0xff;
    /** Not in RFC 7016: rtmfp-cpp's experimental ECN report (one byte, CE count), sent before most acks. */
    public static final int ECN_REPORT_EXPERIMENTAL = 0xec;

    private ChunkType()
    {
    }

    /**
     * @param type chunk type code.
     * @return true for the types RFC 7016 §2.3 defines (padding included).
     */
    public static boolean isDefined(final int type)
    {
        switch (type)
        {
            case PACKET_FRAGMENT:
            case IHELLO:
            case FORWARDED_IHELLO:
            case RHELLO:
            case REDIRECT:
            case RHELLO_COOKIE_CHANGE:
            case IIKEYING:
            case RIKEYING:
            case PING:
            case PING_REPLY:
            case USER_DATA:
            case NEXT_USER_DATA:
            case DATA_ACK_BITMAP:
            case DATA_ACK_RANGES:
            case BUFFER_PROBE:
            case FLOW_EXCEPTION_REPORT:
            case SESSION_CLOSE_REQUEST:
            case SESSION_CLOSE_ACK:
            case PADDING_00:
            case PADDING_FF:
                return true;
            default:
                return false;
        }
    }

    /**
     * @param type chunk type code.
     * @return true for the startup chunks, allowed only in packets of mode 3 (§2.2.4).
     */
    public static boolean isStartup(final int type)
    {
        switch (type)
        {
            case IHELLO:
            case RHELLO:
            case REDIRECT:
            case RHELLO_COOKIE_CHANGE:
            case IIKEYING:
            case RIKEYING:
                return true;
            default:
                return false;
        }
    }

    /**
     * @param type chunk type code.
     * @return the RFC 7016 name, for logs.
     */
    public static String name(final int type)
    {
        switch (type)
        {
            case PACKET_FRAGMENT: return "PacketFragment";
            case IHELLO: return "IHello";
            case FORWARDED_IHELLO: return "FIHello";
            case RHELLO: return "RHello";
            case REDIRECT: return "Redirect";
            case RHELLO_COOKIE_CHANGE: return "RHelloCookieChange";
            case IIKEYING: return "IIKeying";
            case RIKEYING: return "RIKeying";
            case PING: return "Ping";
            case PING_REPLY: return "PingReply";
            case USER_DATA: return "UserData";
            case NEXT_USER_DATA: return "NextUserData";
            case DATA_ACK_BITMAP: return "DataAckBitmap";
            case DATA_ACK_RANGES: return "DataAckRanges";
            case BUFFER_PROBE: return "BufferProbe";
            case FLOW_EXCEPTION_REPORT: return "FlowExceptionReport";
            case SESSION_CLOSE_REQUEST: return "SessionCloseRequest";
            case SESSION_CLOSE_ACK: return "SessionCloseAck";
            case PADDING_00:
            case PADDING_FF: return "Padding";
            case ECN_REPORT_EXPERIMENTAL: return "EcnReport(experimental)";
            default: return "Unknown(0x" + Integer.toHexString(type) + ")";
        }
    }
}
