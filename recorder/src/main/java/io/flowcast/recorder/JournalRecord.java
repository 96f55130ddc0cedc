package io.flowcast.recorder;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of one journal record: the raw bytes of one Chronicle Queue document, written without any Wire
 * marshalling. One record is one message of one stream, as received.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |    Version    |  Record Type  | Message Type  |  Key Length   |
 *  +---------------+---------------+---------------+---------------+
 *  |                  Media Timestamp (u32, ms)                    |
 *  +---------------------------------------------------------------+
 *  |                 Receive Time (i64, epoch ns)                  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        Payload Length                         |
 *  +---------------------------------------------------------------+
 *  |       Stream Key ("app/name", US-ASCII, Key Length bytes)    ...
 *  +---------------------------------------------------------------+
 *  |                   Payload (Payload Length bytes)             ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Multi-byte fields are little-endian (the native order of the mapped file). The stream key is inlined in every
 * record rather than mapped to an id by definition records: every record and so every roll file is
 * self-describing, a reader can start anywhere (seek, tail, a file left by a crash), and the cost is
 * {@code keyLength} bytes per message (about 1-2% of a 1 KB audio/video message; see the README).
 * Message types are the RTMP / RFC 7425 TC message type ids (8 audio, 9 video, 18 data, 20 command, ...).
 */
public final class JournalRecord
{
    /** Version of this layout; a reader skips and counts records of another version. */
    public static final int CURRENT_VERSION = 1;

    /** Record type of a stream message (the only type so far). */
    public static final int RECORD_TYPE_MESSAGE = 1;

    public static final int VERSION_OFFSET = 0;
    public static final int RECORD_TYPE_OFFSET = 1;
    public static final int MESSAGE_TYPE_OFFSET = 2;
    public static final int KEY_LENGTH_OFFSET = 3;
    public static final int MEDIA_TIMESTAMP_OFFSET = 4;
    public static final int RECEIVE_TIME_OFFSET = 8;
    public static final int PAYLOAD_LENGTH_OFFSET = 16;
    public static final int KEY_OFFSET = 20;

    /** Length of the fixed header, before the stream key. */
    public static final int HEADER_LENGTH = KEY_OFFSET;

    /** Longest stream key a record can hold (the length is one byte). */
    public static final int MAX_KEY_LENGTH = 255;

    /** RTMP / TC message type: audio (FLV tag type 8). */
    public static final int TYPE_AUDIO = 8;
    /** RTMP / TC message type: video (FLV tag type 9). */
    public static final int TYPE_VIDEO = 9;
    /** RTMP / TC message type: data, AMF3. */
    public static final int TYPE_DATA_AMF3 = 15;
    /** RTMP / TC message type: command, AMF3. */
    public static final int TYPE_COMMAND_AMF3 = 17;
    /** RTMP / TC message type: data, AMF0 (FLV script data tag type 18). */
    public static final int TYPE_DATA_AMF0 = 18;
    /** RTMP / TC message type: command, AMF0. */
    public static final int TYPE_COMMAND_AMF0 = 20;

    /** Record is valid. */
    public static final int VALID = 0;
    /** Shorter than the fixed header. */
    public static final int ERROR_TOO_SHORT = -1;
    /** Unknown version or record type. */
    public static final int ERROR_UNKNOWN_VERSION = -2;
    /** Key or payload length runs past the end of the record. */
    public static final int ERROR_BAD_LENGTH = -3;

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private JournalRecord()
    {
    }

    /**
     * Check that {@code length} bytes at {@code offset} hold one complete record; never reads past them.
     *
     * @param buffer holding the record.
     * @param offset of the record.
     * @param length of the record (the document length).
     * @return {@link #VALID} or a negative error code.
     */
    public static int validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            return ERROR_TOO_SHORT;
        }
        if (buffer.getByte(offset + VERSION_OFFSET) != CURRENT_VERSION ||
            buffer.getByte(offset + RECORD_TYPE_OFFSET) != RECORD_TYPE_MESSAGE)
        {
            return ERROR_UNKNOWN_VERSION;
        }
        final int keyLength = buffer.getByte(offset + KEY_LENGTH_OFFSET) & 0xFF;
        final long payloadLength = buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, ORDER) & 0xFFFF_FFFFL;
        if (keyLength == 0 || HEADER_LENGTH + keyLength + payloadLength != length)
        {
            return ERROR_BAD_LENGTH;
        }
        return VALID;
    }

    /**
     * Length of a record with this key and payload.
     *
     * @param keyLength     of the stream key.
     * @param payloadLength of the payload.
     * @return the record length.
     */
    public static int recordLength(final int keyLength, final int payloadLength)
    {
        return HEADER_LENGTH + keyLength + payloadLength;
    }

    /**
     * Append one record at the write position of {@code out} (the bytes of an open Chronicle document). Copies the
     * key and the payload with one memory copy each; allocates nothing.
     *
     * @param out             bytes of the open document.
     * @param key             buffer holding the stream key (US-ASCII).
     * @param keyOffset       of the key.
     * @param keyLength       of the key, 1 to {@link #MAX_KEY_LENGTH}.
     * @param messageType     RTMP / TC message type.
     * @param mediaTimestamp  media timestamp in ms (u32).
     * @param receiveTimeNs   receive time, epoch ns.
     * @param payload         buffer holding the payload.
     * @param payloadOffset   of the payload.
     * @param payloadLength   of the payload.
     */
    public static void write(
        final Bytes<?> out,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final int messageType,
        final long mediaTimestamp,
        final long receiveTimeNs,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        out.writeByte((byte)CURRENT_VERSION);
        out.writeByte((byte)RECORD_TYPE_MESSAGE);
        out.writeByte((byte)messageType);
        out.writeByte((byte)keyLength);
        out.writeInt((int)mediaTimestamp);
        out.writeLong(receiveTimeNs);
        out.writeInt(payloadLength);
        copy(out, key, keyOffset, keyLength);
        copy(out, payload, payloadOffset, payloadLength);
    }

    private static void copy(final Bytes<?> out, final DirectBuffer src, final int offset, final int length)
    {
        final byte[] array = src.byteArray();
        if (null != array)
        {
            out.write(array, (int)(src.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + offset, length);
        }
        else
        {
            out.unsafeWrite(src.addressOffset() + offset, length);
        }
    }

    /**
     * A short name for a message type, for listings.
     *
     * @param messageType RTMP / TC message type id.
     * @return its name, or {@code type-N}.
     */
    public static String typeName(final int messageType)
    {
        switch (messageType)
        {
            case TYPE_AUDIO: return "audio";
            case TYPE_VIDEO: return "video";
            case TYPE_DATA_AMF0: return "data";
            case TYPE_DATA_AMF3: return "data3";
            case TYPE_COMMAND_AMF0: return "command";
            case TYPE_COMMAND_AMF3: return "command3";
            default: return "type-" + messageType;
        }
    }
}
