package io.flowcast.codec.rtmfp;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Reads a plain (decrypted) RTMFP packet in place, RFC 7016 §2.2.4: the flags byte, the optional timestamp and
 * timestamp echo, then the chunks, then padding. Reuse one instance per thread; nothing is allocated.
 * <pre>
 *   if (decoder.wrap(buffer, offset, length) &lt; 0) drop and count
 *   int type;
 *   while ((type = decoder.next()) != PacketDecoder.END)
 *   {
 *       switch (type) { case ChunkType.USER_DATA: case ChunkType.NEXT_USER_DATA: userData.wrap(decoder) ... }
 *   }
 * </pre>
 * {@link #next()} has no error result: §2.2.4 defines fewer than three remaining bytes, or a chunk whose length would
 * not fit, as the start of padding. Chunk payloads are checked by the typed flyweights, whose errors drop only that
 * chunk (§2.3). The decoder also tracks the User Data chain of the packet so that a Next User Data chunk (§2.3.12)
 * can be given its implied flow ID and sequence number, whether or not the caller wrapped the chunks before it.
 */
public final class PacketDecoder
{
    /** Flags: Time Critical Forward Notification. */
    public static final int FLAG_TC = 0x80;
    /** Flags: Time Critical Reverse Notification. */
    public static final int FLAG_TCR = 0x40;
    /** Flags: reserved bits. */
    public static final int RESERVED_MASK = 0x30;
    /** Flags: timestamp present. */
    public static final int FLAG_TS = 0x08;
    /** Flags: timestamp echo present. */
    public static final int FLAG_TSE = 0x04;
    /** Flags: the mode bits. */
    public static final int MODE_MASK = 0x03;
    /** Mode 0 is forbidden (§2.2.4). */
    public static final int MODE_FORBIDDEN = 0;
    /** Mode 1: Initiator Mark. */
    public static final int MODE_INITIATOR = 1;
    /** Mode 2: Responder Mark. */
    public static final int MODE_RESPONDER = 2;
    /** Mode 3: Startup. */
    public static final int MODE_STARTUP = 3;
    /** Offset of the flags byte in the packet. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the first optional 16-bit field (timestamp if TS, else timestamp echo). */
    public static final int TIMESTAMP_OFFSET = 1;
    /** Length of the timestamp and of the timestamp echo. */
    public static final int TIMESTAMP_LENGTH = 2;
    /** {@link #next()}: no more chunks; the rest of the packet is padding. */
    public static final int END = -1;
    /** {@link #timestamp()} / {@link #timestampEcho()} when absent. */
    public static final int ABSENT = -1;

    private DirectBuffer buffer;
    private int packetOffset;
    private int limit;
    private int flags;
    private int timestamp;
    private int timestampEcho;
    private int headerLength;
    private int position;
    private int paddingOffset;

    private int chunkType;
    private int payloadOffset;
    private int payloadLength;
    private int chunkIndex;

    private int chainOffset;
    private int chainLength;
    private int chainIndex;
    private long packetCount;

    /**
     * Wrap a plain packet and read its header.
     *
     * @param buffer holding the packet.
     * @param offset of the flags byte.
     * @param length of the packet, padding included.
     * @return {@link RtmfpError#OK}, {@link RtmfpError#TRUNCATED} or {@link RtmfpError#FORBIDDEN_MODE}; on error
     * {@link #next()} returns {@link #END}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.packetOffset = offset;
        this.limit = offset + Math.max(length, 0);
        this.position = limit;
        this.paddingOffset = limit;
        this.timestamp = ABSENT;
        this.timestampEcho = ABSENT;
        this.headerLength = 0;
        this.flags = 0;
        this.chunkType = END;
        this.chunkIndex = -1;
        this.chainOffset = -1;
        this.chainIndex = 0;
        this.packetCount++;

        if (length < 1 || offset < 0)
        {
            return RtmfpError.TRUNCATED;
        }
        flags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        if ((flags & MODE_MASK) == MODE_FORBIDDEN)
        {
            return RtmfpError.FORBIDDEN_MODE;
        }
        int p = offset + TIMESTAMP_OFFSET;
        if ((flags & FLAG_TS) != 0)
        {
            if (limit - p < TIMESTAMP_LENGTH)
            {
                return RtmfpError.TRUNCATED;
            }
            timestamp = buffer.getShort(p, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            p += TIMESTAMP_LENGTH;
        }
        if ((flags & FLAG_TSE) != 0)
        {
            if (limit - p < TIMESTAMP_LENGTH)
            {
                timestamp = ABSENT;
                return RtmfpError.TRUNCATED;
            }
            timestampEcho = buffer.getShort(p, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            p += TIMESTAMP_LENGTH;
        }
        headerLength = p - offset;
        position = p;
        paddingOffset = p;
        return RtmfpError.OK;
    }

    /**
     * Advance to the next chunk.
     *
     * @return its type (0..255), or {@link #END} when the rest of the packet is padding.
     */
    public int next()
    {
        final int p = position;
        if (limit - p < ChunkHeader.LENGTH)
        {
            return end(p);
        }
        final int type;
        final int length;
        if (limit - p >= 4)
        {
            // one bounds-checked read of type, length and the next byte
            final int word = buffer.getInt(p, ByteOrder.BIG_ENDIAN);
            type = word >>> 24;
            length = (word >>> 8) & 0xFFFF;
        }
        else
        {
            type = buffer.getByte(p + ChunkHeader.TYPE_OFFSET) & 0xFF;
            length = ((buffer.getByte(p + ChunkHeader.LENGTH_OFFSET) & 0xFF) << 8) |
                (buffer.getByte(p + ChunkHeader.LENGTH_OFFSET + 1) & 0xFF);
        }
        if (length > limit - p - ChunkHeader.LENGTH)
        {
            return end(p);
        }

        chunkType = type;
        payloadOffset = p + ChunkHeader.LENGTH;
        payloadLength = length;
        chunkIndex++;
        position = p + ChunkHeader.LENGTH + length;

        if (ChunkType.USER_DATA == type)
        {
            chainOffset = payloadOffset;
            chainLength = length;
            chainIndex = 0;
        }
        else if (ChunkType.NEXT_USER_DATA == type)
        {
            if (chainOffset >= 0 && length > 0)
            {
                chainIndex++;
            }
            else
            {
                chainOffset = -1; // an empty Next User Data has no flags byte: the chain is broken
            }
        }
        return type;
    }

    private int end(final int p)
    {
        paddingOffset = p;
        position = limit;
        chunkType = END;
        return END;
    }

    /**
     * @return the buffer wrapped.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the packet (its flags byte).
     */
    public int packetOffset()
    {
        return packetOffset;
    }

    /**
     * @return length of the packet, padding included.
     */
    public int packetLength()
    {
        return limit - packetOffset;
    }

    /**
     * @return the flags byte.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * @return TC: the packet carries time-critical user data.
     */
    public boolean timeCritical()
    {
        return (flags & FLAG_TC) != 0;
    }

    /**
     * @return TCR: the sender is receiving time-critical packets on other sessions.
     */
    public boolean timeCriticalReverse()
    {
        return (flags & FLAG_TCR) != 0;
    }

    /**
     * @return the reserved bits of the flags, shifted down (0..3); ignored on receipt.
     */
    public int reserved()
    {
        return (flags & RESERVED_MASK) >> 4;
    }

    /**
     * @return the packet mode, 1..3.
     */
    public int mode()
    {
        return flags & MODE_MASK;
    }

    /**
     * @return TS.
     */
    public boolean hasTimestamp()
    {
        return (flags & FLAG_TS) != 0;
    }

    /**
     * @return TSE.
     */
    public boolean hasTimestampEcho()
    {
        return (flags & FLAG_TSE) != 0;
    }

    /**
     * @return the timestamp (4 ms ticks, 16 bits), or {@link #ABSENT}.
     */
    public int timestamp()
    {
        return timestamp;
    }

    /**
     * @return the timestamp echo, or {@link #ABSENT}.
     */
    public int timestampEcho()
    {
        return timestampEcho;
    }

    /**
     * @return bytes of the header: 1, 3 or 5.
     */
    public int headerLength()
    {
        return headerLength;
    }

    /**
     * @return type of the current chunk, or {@link #END}.
     */
    public int chunkType()
    {
        return chunkType;
    }

    /**
     * @return offset of the current chunk's header.
     */
    public int chunkOffset()
    {
        return payloadOffset - ChunkHeader.LENGTH;
    }

    /**
     * @return offset of the current chunk's payload.
     */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /**
     * @return length of the current chunk's payload.
     */
    public int payloadLength()
    {
        return payloadLength;
    }

    /**
     * @return 0-based index of the current chunk in the packet.
     */
    public int chunkIndex()
    {
        return chunkIndex;
    }

    /**
     * @return offset of the padding, valid once {@link #next()} returned {@link #END}.
     */
    public int paddingOffset()
    {
        return paddingOffset;
    }

    /**
     * @return bytes of padding, valid once {@link #next()} returned {@link #END}.
     */
    public int paddingLength()
    {
        return limit - paddingOffset;
    }

    /**
     * @return payload offset of the User Data chunk heading the current chain of Next User Data chunks, or -1 when
     * there is none in this packet (§2.3.12).
     */
    public int userDataChainOffset()
    {
        return chainOffset;
    }

    /**
     * @return payload length of the User Data chunk heading the chain.
     */
    public int userDataChainLength()
    {
        return chainLength;
    }

    /**
     * @return position of the current chunk in its chain: 0 for the User Data chunk, k for the k-th Next User Data
     * chunk after it, whose sequence number is the User Data chunk's plus k.
     */
    public int userDataChainIndex()
    {
        return chainIndex;
    }

    /**
     * @return a counter bumped by every {@link #wrap}, so cached views can tell packets apart.
     */
    public long packetCount()
    {
        return packetCount;
    }
}
