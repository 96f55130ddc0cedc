package io.flowcast.codec.rtmp;

/**
 * RTMP message type IDs (rtmp-1.0.txt §5.4, §7.1), shared by the RTMP chunk stream and RFC 7425 TC messages.
 */
public final class MessageType
{
    /** Protocol control: Set Chunk Size (§5.4.1). */
    public static final int SET_CHUNK_SIZE = 1;
    /** Protocol control: Abort Message (§5.4.2). */
    public static final int ABORT = 2;
    /** Protocol control: Acknowledgement (§5.4.3). */
    public static final int ACKNOWLEDGEMENT = 3;
    /** User Control Message (§6.2). */
    public static final int USER_CONTROL = 4;
    /** Protocol control: Window Acknowledgement Size (§5.4.4). */
    public static final int WINDOW_ACK_SIZE = 5;
    /** Protocol control: Set Peer Bandwidth (§5.4.5). */
    public static final int SET_PEER_BANDWIDTH = 6;
    /** Audio data: an FLV audio tag body. */
    public static final int AUDIO = 8;
    /** Video data: an FLV video tag body. */
    public static final int VIDEO = 9;
    /** Data message, AMF3-capable: format byte 0 then values. */
    public static final int DATA_AMF3 = 15;
    /** Shared object message, AMF3-capable. */
    public static final int SHARED_OBJECT_AMF3 = 16;
    /** Command message, AMF3-capable: format byte 0 then values. */
    public static final int COMMAND_AMF3 = 17;
    /** Data message in AMF0 (e.g. {@code @setDataFrame}, {@code onMetaData}). */
    public static final int DATA_AMF0 = 18;
    /** Shared object message in AMF0. */
    public static final int SHARED_OBJECT_AMF0 = 19;
    /** Command message in AMF0 (connect, createStream, publish, play, onStatus, _result...). */
    public static final int COMMAND_AMF0 = 20;
    /** Aggregate message: a sequence of FLV-like sub-messages. */
    public static final int AGGREGATE = 22;

    private MessageType()
    {
    }

    /**
     * @param type a message type ID.
     * @return true for types 1, 2, 3, 5, 6, which the chunk stream layer itself interprets.
     */
    public static boolean isProtocolControl(final int type)
    {
        return type >= SET_CHUNK_SIZE && type <= SET_PEER_BANDWIDTH && type != USER_CONTROL;
    }

    /**
     * @param type a message type ID.
     * @return true if the payload starts with the AMF3 format selector byte (types 15, 16, 17).
     */
    public static boolean hasFormatByte(final int type)
    {
        return DATA_AMF3 == type || SHARED_OBJECT_AMF3 == type || COMMAND_AMF3 == type;
    }
}
