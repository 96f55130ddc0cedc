package io.flowcast.codec.rtmfp;

import io.flowcast.codec.OptionFlyweight;
import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * User Data (0x10, RFC 7016 §2.3.11) and Next User Data (0x11, §2.3.12) chunk payloads.
 * <pre>
 *   User Data:      flags u8 | flowID VLU | sequenceNumber VLU | fsnOffset VLU | [options + Marker if OPT] | userData
 *   Next User Data: flags u8 |                                                   [options + Marker if OPT] | userData
 * </pre>
 * For Next User Data the flow ID is that of the most recent User Data chunk of the packet, the sequence number is the
 * previous one plus one and the forward sequence number is unchanged (so fsnOffset is the previous one plus one);
 * {@link #isImplied()} tells them apart. Wrapping validates the whole payload (option list and its Marker included) and
 * records the two defined options, per-flow metadata (0x00) and return flow association (0x0a), so the hot path needs
 * no second pass. Reuse one instance; nothing is allocated.
 */
public final class UserDataChunk
{
    /** Flags: an option list follows the header. */
    public static final int FLAG_OPT = 0x80;
    /** Flags: the fragment control bits. */
    public static final int FRA_MASK = 0x30;
    /** Flags: shift of the fragment control bits. */
    public static final int FRA_SHIFT = 4;
    /** Flags: abandon. */
    public static final int FLAG_ABN = 0x02;
    /** Flags: final sequence number of the flow. */
    public static final int FLAG_FIN = 0x01;
    /** Fragment control 0: a whole message. */
    public static final int FRAGMENT_WHOLE = 0;
    /** Fragment control 1: first fragment of several. */
    public static final int FRAGMENT_BEGIN = 1;
    /** Fragment control 2: last fragment of several. */
    public static final int FRAGMENT_END = 2;
    /** Fragment control 3: a middle fragment. */
    public static final int FRAGMENT_MIDDLE = 3;
    /** Option type: user's per-flow metadata, §2.3.11.1.1. */
    public static final int OPTION_PER_FLOW_METADATA = 0x00;
    /** Option type: return flow association, §2.3.11.1.2. */
    public static final int OPTION_RETURN_FLOW_ASSOCIATION = 0x0a;
    /** Options below this type must be understood, or the flow rejected (§2.3.11.1). */
    public static final int MANDATORY_OPTION_LIMIT = 0x2000;
    /** Offset of the flags byte in the payload. */
    public static final int FLAGS_OFFSET = 0;
    /** Offset of the flow ID in a User Data payload. */
    public static final int FLOW_ID_OFFSET = 1;
    /** {@link #returnFlowId()} and {@link #metadataOffset()} when the option is absent. */
    public static final int ABSENT = -1;

    private final OptionFlyweight options = new OptionFlyweight();
    private DirectBuffer buffer;
    private int type;
    private int flags;
    private long flowId;
    private long sequenceNumber;
    private long fsnOffset;
    private boolean implied;
    private int optionsOffset;
    private int optionsLength;
    private int metadataOffset;
    private int metadataLength;
    private long returnFlowId;
    private boolean unknownMandatoryOption;
    private int userDataOffset;
    private int userDataLength;

    // the head of the packet's User Data chain as last read through wrap(PacketDecoder), so Next User Data chunks
    // need not parse it again
    private PacketDecoder headDecoder;
    private long headPacket;
    private int headOffset;
    private long headFlowId;
    private long headSequenceNumber;
    private long headFsnOffset;

    /**
     * Wrap the current chunk of a decoder, which must be a User Data or Next User Data chunk.
     *
     * @param decoder positioned on the chunk.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}: drop this chunk (and count it).
     */
    public int wrap(final PacketDecoder decoder)
    {
        final int chunkType = decoder.chunkType();
        if (ChunkType.NEXT_USER_DATA == chunkType)
        {
            return wrapNext(decoder);
        }
        if (ChunkType.USER_DATA == chunkType)
        {
            final int rc = wrapUserData(decoder.buffer(), decoder.payloadOffset(), decoder.payloadLength());
            remember(decoder, rc);
            return rc;
        }
        return RtmfpError.WRONG_CHUNK_TYPE;
    }

    // kept small so that it inlines into the caller's chunk loop
    private int wrapNext(final PacketDecoder decoder)
    {
        final int chainOffset = decoder.userDataChainOffset();
        if (headDecoder != decoder || headPacket != decoder.packetCount() || headOffset != chainOffset)
        {
            final int rc = readChainHead(decoder, chainOffset);
            if (rc < 0)
            {
                return rc;
            }
        }
        final int length = decoder.payloadLength();
        if (length < 1)
        {
            return RtmfpError.TRUNCATED;
        }
        final int index = decoder.userDataChainIndex();
        final long seq = headSequenceNumber + index;
        if (seq < 0)
        {
            return RtmfpError.SEQUENCE_OVERFLOW;
        }
        // the head passed the fsnOffset rules, so head fsnOffset + index is within them too
        final DirectBuffer buffer = decoder.buffer();
        final int offset = decoder.payloadOffset();
        final int flags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        this.buffer = buffer;
        this.type = ChunkType.NEXT_USER_DATA;
        this.implied = true;
        this.flags = flags;
        this.flowId = headFlowId;
        this.sequenceNumber = seq;
        this.fsnOffset = headFsnOffset + index;
        return (flags & FLAG_OPT) == 0 ?
            noOptions(offset + 1, offset + length) :
            readBody(offset + 1, offset + length);
    }

    // the caller did not wrap the User Data chunk heading the chain: read and check its header now
    private int readChainHead(final PacketDecoder decoder, final int chainOffset)
    {
        if (chainOffset < 0)
        {
            return decoder.payloadLength() < 1 ? RtmfpError.TRUNCATED : RtmfpError.NO_PRECEDING_USER_DATA;
        }
        int rc = readHeader(decoder.buffer(), chainOffset, chainOffset + decoder.userDataChainLength());
        if (rc >= 0)
        {
            rc = checkSequence();
        }
        if (rc < 0)
        {
            return rc;
        }
        headDecoder = decoder;
        headPacket = decoder.packetCount();
        headOffset = chainOffset;
        headFlowId = flowId;
        headSequenceNumber = sequenceNumber;
        headFsnOffset = fsnOffset;
        return RtmfpError.OK;
    }

    private void remember(final PacketDecoder decoder, final int rc)
    {
        if (rc >= 0)
        {
            headDecoder = decoder;
            headPacket = decoder.packetCount();
            headOffset = decoder.payloadOffset();
            headFlowId = flowId;
            headSequenceNumber = sequenceNumber;
            headFsnOffset = fsnOffset;
        }
        else
        {
            headDecoder = null;
        }
    }

    private int noOptions(final int offset, final int limit)
    {
        metadataOffset = ABSENT;
        metadataLength = 0;
        returnFlowId = ABSENT;
        unknownMandatoryOption = false;
        optionsOffset = offset;
        optionsLength = 0;
        userDataOffset = offset;
        userDataLength = limit - offset;
        return RtmfpError.OK;
    }

    /**
     * Wrap a User Data (0x10) payload.
     *
     * @param buffer holding the payload.
     * @param offset of the payload.
     * @param length of the payload.
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrapUserData(final DirectBuffer buffer, final int offset, final int length)
    {
        final int limit = offset + length;
        final int headerEnd = readHeader(buffer, offset, limit);
        if (headerEnd < 0)
        {
            return headerEnd;
        }
        this.type = ChunkType.USER_DATA;
        this.implied = false;
        return readBody(headerEnd, limit);
    }

    /**
     * Wrap a Next User Data (0x11) payload whose flow ID, sequence number and fsnOffset are implied by the caller.
     *
     * @param buffer         holding the payload.
     * @param offset         of the payload.
     * @param length         of the payload.
     * @param flowId         of the preceding User Data chunk.
     * @param sequenceNumber the preceding chunk's plus one.
     * @param fsnOffset      the preceding chunk's plus one (the forward sequence number is unchanged).
     * @return {@link RtmfpError#OK} or a negative {@link RtmfpError}.
     */
    public int wrapNextUserData(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long flowId,
        final long sequenceNumber,
        final long fsnOffset)
    {
        this.buffer = buffer;
        this.type = ChunkType.NEXT_USER_DATA;
        this.implied = true;
        if (length < 1)
        {
            return RtmfpError.TRUNCATED;
        }
        this.flags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        this.flowId = flowId;
        this.sequenceNumber = sequenceNumber;
        this.fsnOffset = fsnOffset;
        return readBody(offset + 1, offset + length);
    }

    private int readHeader(final DirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        if (limit - offset < 1 || offset < 0)
        {
            return RtmfpError.TRUNCATED;
        }
        flags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        int p = offset + FLOW_ID_OFFSET;

        int n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        flowId = Vlu.value(buffer, p);
        p += n;

        n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        sequenceNumber = Vlu.value(buffer, p);
        p += n;

        n = Vlu.length(buffer, p, limit);
        if (n < 0)
        {
            return n;
        }
        fsnOffset = Vlu.value(buffer, p);
        return p + n;
    }

    private int checkSequence()
    {
        if (sequenceNumber < 0)
        {
            return RtmfpError.SEQUENCE_OVERFLOW;
        }
        if ((fsnOffset == 0 && (flags & FLAG_ABN) == 0) || Long.compareUnsigned(fsnOffset, sequenceNumber) > 0)
        {
            return RtmfpError.BAD_FSN_OFFSET; // §2.3.11
        }
        return RtmfpError.OK;
    }

    private int readBody(final int offset, final int limit)
    {
        final int rc = checkSequence();
        if (rc < 0)
        {
            return rc;
        }

        metadataOffset = ABSENT;
        metadataLength = 0;
        returnFlowId = ABSENT;
        unknownMandatoryOption = false;
        optionsOffset = offset;
        final int p = (flags & FLAG_OPT) != 0 ? readOptions(offset, limit) : offset;
        if (p < 0)
        {
            return p;
        }
        optionsLength = p - offset;
        userDataOffset = p;
        userDataLength = limit - p;
        return RtmfpError.OK;
    }

    private int readOptions(final int offset, final int limit)
    {
        final OptionFlyweight options = this.options.wrap(buffer, offset, limit, true);
        int rc;
        while ((rc = options.next()) == OptionFlyweight.OPTION)
        {
            final long optionType = options.type();
            if (OPTION_PER_FLOW_METADATA == optionType)
            {
                if (ABSENT == metadataOffset)
                {
                    metadataOffset = options.valueOffset();
                    metadataLength = options.valueLength();
                }
            }
            else if (OPTION_RETURN_FLOW_ASSOCIATION == optionType)
            {
                final int valueOffset = options.valueOffset();
                final int n = Vlu.length(buffer, valueOffset, valueOffset + options.valueLength());
                if (n < 0)
                {
                    return RtmfpError.MALFORMED_OPTION;
                }
                if (ABSENT == returnFlowId)
                {
                    returnFlowId = Vlu.value(buffer, valueOffset);
                }
            }
            else if (Long.compareUnsigned(optionType, MANDATORY_OPTION_LIMIT) < 0)
            {
                unknownMandatoryOption = true;
            }
        }
        return rc < 0 ? RtmfpError.MALFORMED_OPTION : options.position();
    }

    /**
     * @return {@link ChunkType#USER_DATA} or {@link ChunkType#NEXT_USER_DATA}.
     */
    public int type()
    {
        return type;
    }

    /**
     * @return the flags byte.
     */
    public int flags()
    {
        return flags;
    }

    /**
     * @return OPT.
     */
    public boolean optionsPresent()
    {
        return (flags & FLAG_OPT) != 0;
    }

    /**
     * @return FRA: {@link #FRAGMENT_WHOLE}, {@link #FRAGMENT_BEGIN}, {@link #FRAGMENT_END} or {@link #FRAGMENT_MIDDLE}.
     */
    public int fragmentControl()
    {
        return (flags & FRA_MASK) >> FRA_SHIFT;
    }

    /**
     * @return ABN: the sequence number is abandoned; ignore the user data.
     */
    public boolean abandon()
    {
        return (flags & FLAG_ABN) != 0;
    }

    /**
     * @return FIN: the last sequence number of the flow.
     */
    public boolean fin()
    {
        return (flags & FLAG_FIN) != 0;
    }

    /**
     * @return the flow ID (unsigned).
     */
    public long flowId()
    {
        return flowId;
    }

    /**
     * @return the sequence number.
     */
    public long sequenceNumber()
    {
        return sequenceNumber;
    }

    /**
     * @return fsnOffset.
     */
    public long fsnOffset()
    {
        return fsnOffset;
    }

    /**
     * @return sequenceNumber - fsnOffset.
     */
    public long forwardSequenceNumber()
    {
        return sequenceNumber - fsnOffset;
    }

    /**
     * @return true for Next User Data, whose flow ID and sequence number come from the chunk before.
     */
    public boolean isImplied()
    {
        return implied;
    }

    /**
     * @return offset of the option list (when OPT), equal to {@link #userDataOffset()} otherwise.
     */
    public int optionsOffset()
    {
        return optionsOffset;
    }

    /**
     * @return bytes of the option list including its Marker, 0 without OPT.
     */
    public int optionsLength()
    {
        return optionsLength;
    }

    /**
     * @return offset of the per-flow metadata option value, or {@link #ABSENT}.
     */
    public int metadataOffset()
    {
        return metadataOffset;
    }

    /**
     * @return bytes of per-flow metadata (0 when absent).
     */
    public int metadataLength()
    {
        return metadataLength;
    }

    /**
     * @return the return flow association's flow ID, or {@link #ABSENT}.
     */
    public long returnFlowId()
    {
        return returnFlowId;
    }

    /**
     * @return true when an option below 0x2000 other than 0x00 and 0x0a is present: the flow must be rejected.
     */
    public boolean hasUnknownMandatoryOption()
    {
        return unknownMandatoryOption;
    }

    /**
     * @return offset of the user data.
     */
    public int userDataOffset()
    {
        return userDataOffset;
    }

    /**
     * @return bytes of user data.
     */
    public int userDataLength()
    {
        return userDataLength;
    }

    /**
     * @return the buffer wrapped.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * Wrap an option flyweight over this chunk's (already validated) option list.
     *
     * @param flyweight to wrap.
     * @return the flyweight.
     */
    public OptionFlyweight options(final OptionFlyweight flyweight)
    {
        return flyweight.wrap(buffer, optionsOffset, optionsOffset + optionsLength, true);
    }

    /**
     * @return bytes an option list with these options takes, Marker included (0 with no option).
     */
    static int optionListLength(final int metadataLength, final long returnFlowId)
    {
        int length = 0;
        if (metadataLength >= 0)
        {
            length += OptionFlyweight.encodedLength(OPTION_PER_FLOW_METADATA, metadataLength);
        }
        if (returnFlowId >= 0)
        {
            length += OptionFlyweight.encodedLength(OPTION_RETURN_FLOW_ASSOCIATION, Vlu.encodedLength(returnFlowId));
        }
        return length > 0 ? length + 1 : 0;
    }

    /**
     * Write a User Data chunk (0x10). OPT is set from the options given; other flags are taken as given.
     *
     * @param buffer         to write into.
     * @param offset         of the chunk header.
     * @param limit          one past the last byte the chunk may occupy.
     * @param flags          FRA, ABN, FIN (OPT is computed).
     * @param flowId         flow ID.
     * @param sequenceNumber sequence number.
     * @param fsnOffset      sequence number minus forward sequence number.
     * @param metadata       per-flow metadata to send as option 0x00, or null.
     * @param metadataOffset offset in {@code metadata}.
     * @param metadataLength bytes of metadata.
     * @param returnFlowId   flow ID for option 0x0a, or negative for none.
     * @param data           user data source (may be null when {@code dataLength} is 0).
     * @param dataOffset     offset in {@code data}.
     * @param dataLength     bytes of user data.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encodeUserData(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final int flags,
        final long flowId,
        final long sequenceNumber,
        final long fsnOffset,
        final DirectBuffer metadata,
        final int metadataOffset,
        final int metadataLength,
        final long returnFlowId,
        final DirectBuffer data,
        final int dataOffset,
        final int dataLength)
    {
        final int metaLength = null == metadata ? -1 : metadataLength;
        final int optionsLength = optionListLength(metaLength, returnFlowId);
        final long payloadLength = 1L + Vlu.encodedLength(flowId) + Vlu.encodedLength(sequenceNumber) +
            Vlu.encodedLength(fsnOffset) + optionsLength + dataLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.USER_DATA, (int)payloadLength);
        buffer.putByte(p++, (byte)(optionsLength > 0 ? flags | FLAG_OPT : flags & ~FLAG_OPT));
        p += Vlu.encode(buffer, p, flowId);
        p += Vlu.encode(buffer, p, sequenceNumber);
        p += Vlu.encode(buffer, p, fsnOffset);
        p += putOptions(buffer, p, metadata, metadataOffset, metaLength, returnFlowId);
        p += ChunkHeader.putRaw(buffer, p, data, dataOffset, dataLength);
        return p - offset;
    }

    /**
     * Write a Next User Data chunk (0x11): the next sequence number of the flow of the User Data or Next User Data
     * chunk just before it in the same packet, with the same forward sequence number (§2.3.12).
     *
     * @param buffer         to write into.
     * @param offset         of the chunk header.
     * @param limit          one past the last byte the chunk may occupy.
     * @param flags          FRA, ABN, FIN (OPT is computed).
     * @param metadata       per-flow metadata to send as option 0x00, or null.
     * @param metadataOffset offset in {@code metadata}.
     * @param metadataLength bytes of metadata.
     * @param returnFlowId   flow ID for option 0x0a, or negative for none.
     * @param data           user data source (may be null when {@code dataLength} is 0).
     * @param dataOffset     offset in {@code data}.
     * @param dataLength     bytes of user data.
     * @return bytes written, or {@link RtmfpError#NO_SPACE}.
     */
    public static int encodeNextUserData(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final int flags,
        final DirectBuffer metadata,
        final int metadataOffset,
        final int metadataLength,
        final long returnFlowId,
        final DirectBuffer data,
        final int dataOffset,
        final int dataLength)
    {
        final int metaLength = null == metadata ? -1 : metadataLength;
        final int optionsLength = optionListLength(metaLength, returnFlowId);
        final long payloadLength = 1L + optionsLength + dataLength;
        if (!ChunkHeader.fits(offset, limit, payloadLength))
        {
            return RtmfpError.NO_SPACE;
        }
        int p = offset + ChunkHeader.put(buffer, offset, ChunkType.NEXT_USER_DATA, (int)payloadLength);
        buffer.putByte(p++, (byte)(optionsLength > 0 ? flags | FLAG_OPT : flags & ~FLAG_OPT));
        p += putOptions(buffer, p, metadata, metadataOffset, metaLength, returnFlowId);
        p += ChunkHeader.putRaw(buffer, p, data, dataOffset, dataLength);
        return p - offset;
    }

    private static int putOptions(
        final MutableDirectBuffer buffer,
        final int offset,
        final DirectBuffer metadata,
        final int metadataOffset,
        final int metadataLength,
        final long returnFlowId)
    {
        int p = offset;
        if (metadataLength >= 0)
        {
            p += OptionFlyweight.encode(buffer, p, OPTION_PER_FLOW_METADATA, metadata, metadataOffset, metadataLength);
        }
        if (returnFlowId >= 0)
        {
            final int valueLength = Vlu.encodedLength(returnFlowId);
            p += OptionFlyweight.encodeHeader(buffer, p, OPTION_RETURN_FLOW_ASSOCIATION, valueLength);
            p += Vlu.encode(buffer, p, returnFlowId);
        }
        if (p > offset)
        {
            p += OptionFlyweight.encodeMarker(buffer, p);
        }
        return p - offset;
    }
}
