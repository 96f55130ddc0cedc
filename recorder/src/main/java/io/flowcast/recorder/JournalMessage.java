package io.flowcast.recorder;

import org.agrona.AsciiSequenceView;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.flowcast.recorder.JournalRecord.*;

/**
 * Typed, zero-copy view of one journal record in place in the mapped journal file (see {@link JournalRecord} for
 * the layout). Valid only inside the {@link JournalMessageHandler} call that receives it: copy what must outlive it.
 */
public final class JournalMessage
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);
    private final AsciiSequenceView streamKey = new AsciiSequenceView();
    private final AsciiSequenceView app = new AsciiSequenceView();
    private final AsciiSequenceView name = new AsciiSequenceView();
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private int length;
    private long index;

    /**
     * Wrap a record at a native address (the mapped document).
     *
     * @param address of the first byte of the record.
     * @param length  of the record, already {@link JournalRecord#validate validated}.
     * @param index   Chronicle index of the document.
     * @return this.
     */
    JournalMessage wrap(final long address, final int length, final long index)
    {
        buffer.wrap(address, length);
        this.length = length;
        this.index = index;
        wrapParts();
        return this;
    }

    /**
     * Wrap a record in a buffer (tests and tools).
     *
     * @param src    buffer holding a validated record.
     * @param offset of the record.
     * @param length of the record.
     * @return this.
     */
    public JournalMessage wrap(final DirectBuffer src, final int offset, final int length)
    {
        buffer.wrap(src, offset, length);
        this.length = length;
        this.index = -1;
        wrapParts();
        return this;
    }

    private void wrapParts()
    {
        final int keyLength = buffer.getByte(KEY_LENGTH_OFFSET) & 0xFF;
        streamKey.wrap(buffer, KEY_OFFSET, keyLength);
        int slash = 0;
        while (slash < keyLength && buffer.getByte(KEY_OFFSET + slash) != '/')
        {
            slash++;
        }
        app.wrap(buffer, KEY_OFFSET, slash);
        final int nameOffset = Math.min(slash + 1, keyLength);
        name.wrap(buffer, KEY_OFFSET + nameOffset, keyLength - nameOffset);
        final int payloadOffset = KEY_OFFSET + keyLength;
        payload.wrap(buffer, payloadOffset, length - payloadOffset);
    }

    /**
     * @return the Chronicle Queue index of this record (-1 if not read from a queue).
     */
    public long index()
    {
        return index;
    }

    /**
     * @return the stream key, {@code app/name}, as a view over the record (no copy).
     */
    public AsciiSequenceView streamKey()
    {
        return streamKey;
    }

    /**
     * @return the application part of the stream key (before the first {@code /}), as a view (no copy).
     */
    public AsciiSequenceView app()
    {
        return app;
    }

    /**
     * @return the stream name part of the stream key (after the first {@code /}; empty if there is none), as a view.
     */
    public AsciiSequenceView name()
    {
        return name;
    }

    /**
     * @return the payload alone, a view over the record in place (offset 0, capacity = {@link #payloadLength()}).
     */
    public DirectBuffer payload()
    {
        return payload;
    }

    /**
     * @return the RTMP / TC message type id (8 audio, 9 video, 18 data, 20 command, ...).
     */
    public int messageType()
    {
        return buffer.getByte(MESSAGE_TYPE_OFFSET) & 0xFF;
    }

    /**
     * @return the media timestamp in ms, unsigned 32 bits as in RTMP.
     */
    public long mediaTimestamp()
    {
        return buffer.getInt(MEDIA_TIMESTAMP_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * @return when the server received the message, epoch ns.
     */
    public long receiveTimeNs()
    {
        return buffer.getLong(RECEIVE_TIME_OFFSET, ORDER);
    }

    /**
     * @return the buffer holding the payload (the record itself).
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the payload in {@link #buffer()}.
     */
    public int payloadOffset()
    {
        return KEY_OFFSET + streamKey.length();
    }

    /**
     * @return length of the payload.
     */
    public int payloadLength()
    {
        return length - payloadOffset();
    }

    /**
     * @return length of the whole record.
     */
    public int recordLength()
    {
        return length;
    }

    /**
     * Compare the stream key with a string without allocating.
     *
     * @param key to compare.
     * @return true if equal.
     */
    public boolean streamKeyEquals(final CharSequence key)
    {
        final int n = streamKey.length();
        if (key.length() != n)
        {
            return false;
        }
        for (int i = 0; i < n; i++)
        {
            if (buffer.getByte(KEY_OFFSET + i) != (byte)key.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString()
    {
        return "JournalMessage{stream=" + streamKey + ", type=" + typeName(messageType()) +
            ", mediaTimestamp=" + mediaTimestamp() + ", receiveTimeNs=" + receiveTimeNs() +
            ", payloadLength=" + payloadLength() + '}';
    }
}
