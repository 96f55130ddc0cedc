package io.flowcast.dissect;

import io.flowcast.codec.OptionFlyweight;
import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.DataAckBitmapChunk;
import io.flowcast.codec.rtmfp.DataAckRangesChunk;
import io.flowcast.codec.rtmfp.FlowChunk;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.PacketFragmentChunk;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.codec.tc.TcFlowMetadata;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.flowcast.dissect.FieldValues.hex;
import static io.flowcast.dissect.FieldValues.range;

/**
 * One decrypted RTMFP packet as a tree: the header (RFC 7016 §2.2.4) and each chunk with its type, name, offset,
 * length and fields. Startup chunks go to the {@link StartupChunkDissector}; the session's chunks (§2.3.1, §2.3.9 -
 * §2.3.16: fragments, pings, User Data with its options and RFC 7425 flow metadata, acknowledgements, flow reports)
 * are described here.
 */
final class PacketDissector
{
    private static final String[] FRAGMENT_NAMES = { "whole", "begin", "end", "middle" };
    private static final String[] MODE_NAMES = { "forbidden", "initiator", "responder", "startup" };

    private final StartupChunkDissector startup;
    private final PacketDecoder decoder = new PacketDecoder();
    private final UserDataChunk userData = new UserDataChunk();
    private final DataAckRangesChunk rangesAck = new DataAckRangesChunk();
    private final DataAckBitmapChunk bitmapAck = new DataAckBitmapChunk();
    private final FlowChunk flowChunk = new FlowChunk();
    private final PacketFragmentChunk fragment = new PacketFragmentChunk();
    private final TcFlowMetadata tcMetadata = new TcFlowMetadata();
    private final OptionFlyweight options = new OptionFlyweight();

    PacketDissector(final StartupChunkDissector startup)
    {
        this.startup = startup;
    }

    /**
     * Put {@code header} and {@code chunks} (or {@code error} and no chunks) into {@code out}.
     *
     * @param buffer holding the decrypted packet.
     * @param offset of its flags byte.
     * @param length of the packet.
     * @param src    the datagram's source.
     * @param dst    its destination.
     * @param out    the datagram's tree.
     */
    void dissect(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final String src,
        final String dst,
        final Map<String, Object> out)
    {
        final int rc = decoder.wrap(buffer, offset, length);
        if (RtmfpError.OK != rc)
        {
            out.put("error", "bad packet header: " + RtmfpError.name(rc));
            out.put("chunks", List.of());
            return;
        }
        final Map<String, Object> header = new LinkedHashMap<>();
        header.put("flags", decoder.flags());
        header.put("TC", decoder.timeCritical());
        header.put("TCR", decoder.timeCriticalReverse());
        header.put("rsv", decoder.reserved());
        header.put("TS", decoder.hasTimestamp());
        header.put("TSE", decoder.hasTimestampEcho());
        header.put("mode", decoder.mode());
        header.put("mode_name", MODE_NAMES[decoder.mode() & 3]);
        if (decoder.hasTimestamp())
        {
            header.put("timestamp", decoder.timestamp());
        }
        if (decoder.hasTimestampEcho())
        {
            header.put("timestampEcho", decoder.timestampEcho());
        }
        header.put("header_len", decoder.headerLength());
        out.put("header", header);

        final List<Object> chunks = new ArrayList<>();
        int type;
        while (PacketDecoder.END != (type = decoder.next()))
        {
            final Map<String, Object> chunk = new LinkedHashMap<>();
            chunk.put("type", type);
            chunk.put("name", Dissector.chunkName(type));
            chunk.put("offset", decoder.chunkOffset() - offset);
            chunk.put("len", decoder.payloadLength());
            final Map<String, Object> fields = new LinkedHashMap<>();
            final int chunkRc = StartupChunkDissector.handles(type) ?
                startup.describe(decoder, type, fields, src, dst) : describe(type, fields);
            if (chunkRc < 0)
            {
                chunk.put("error", RtmfpError.name(chunkRc));
            }
            chunk.put("fields", fields);
            chunks.add(chunk);
        }
        header.put("padding_len", decoder.paddingLength());
        out.put("chunks", chunks);
    }

    private int describe(final int type, final Map<String, Object> fields)
    {
        final DirectBuffer b = decoder.buffer();
        switch (type)
        {
            case ChunkType.USER_DATA:
            case ChunkType.NEXT_USER_DATA:
                return userData(b, fields);
            case ChunkType.DATA_ACK_RANGES:
            {
                final int rc = rangesAck.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("flowID", rangesAck.flowId());
                    fields.put("bufferBlocksAvailable", rangesAck.bufferBlocksAvailable());
                    fields.put("cumulativeAck", rangesAck.cumulativeAck());
                    final List<Object> ranges = new ArrayList<>();
                    while (DataAckRangesChunk.RANGE == rangesAck.nextRange())
                    {
                        ranges.add(range(rangesAck.rangeFrom(), rangesAck.rangeTo()));
                    }
                    fields.put("ranges", ranges);
                    if (rangesAck.truncated())
                    {
                        fields.put("truncated", true);
                    }
                }
                return rc;
            }
            case ChunkType.DATA_ACK_BITMAP:
            {
                final int rc = bitmapAck.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("flowID", bitmapAck.flowId());
                    fields.put("bufferBlocksAvailable", bitmapAck.bufferBlocksAvailable());
                    fields.put("cumulativeAck", bitmapAck.cumulativeAck());
                    fields.put("bitmap_hex", hex(b, bitmapAck.bitmapOffset(), bitmapAck.bitmapLength()));
                    final List<Object> ranges = new ArrayList<>();
                    while (DataAckBitmapChunk.RANGE == bitmapAck.nextRange())
                    {
                        ranges.add(range(bitmapAck.rangeFrom(), bitmapAck.rangeTo()));
                    }
                    fields.put("ranges", ranges);
                }
                return rc;
            }
            case ChunkType.BUFFER_PROBE:
            case ChunkType.FLOW_EXCEPTION_REPORT:
            {
                final int rc = flowChunk.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("flowID", flowChunk.flowId());
                    if (ChunkType.FLOW_EXCEPTION_REPORT == type)
                    {
                        fields.put("exception", flowChunk.exception());
                    }
                }
                return rc;
            }
            case ChunkType.PACKET_FRAGMENT:
            {
                final int rc = fragment.wrap(decoder);
                if (RtmfpError.OK == rc)
                {
                    fields.put("moreFragments", fragment.moreFragments());
                    fields.put("packetID", fragment.packetId());
                    fields.put("fragmentNumber", fragment.fragmentNumber());
                    fields.put("fragmentLength", fragment.fragmentLength());
                }
                return rc;
            }
            case ChunkType.PING:
            case ChunkType.PING_REPLY:
                fields.put("message_hex", hex(b, decoder.payloadOffset(), decoder.payloadLength()));
                return RtmfpError.OK;
            case ChunkType.ECN_REPORT_EXPERIMENTAL:
                if (decoder.payloadLength() >= 1)
                {
                    fields.put("ce_count_low8", b.getByte(decoder.payloadOffset()) & 0xFF);
                }
                return RtmfpError.OK;
            default:
                // Session Close / Close Ack and padding carry nothing; unknown types are listed with type and len.
                return RtmfpError.OK;
        }
    }

    private int userData(final DirectBuffer b, final Map<String, Object> fields)
    {
        final int rc = userData.wrap(decoder);
        if (RtmfpError.OK != rc)
        {
            return rc;
        }
        fields.put("flags", userData.flags());
        fields.put("OPT", userData.optionsPresent());
        fields.put("FRA", userData.fragmentControl());
        fields.put("fragment", FRAGMENT_NAMES[userData.fragmentControl() & 3]);
        fields.put("ABN", userData.abandon());
        fields.put("FIN", userData.fin());
        fields.put("flowID", userData.flowId());
        fields.put("sequenceNumber", userData.sequenceNumber());
        fields.put("fsnOffset", userData.fsnOffset());
        fields.put("forwardSequenceNumber", userData.forwardSequenceNumber());
        if (userData.isImplied())
        {
            fields.put("implied_from_previous_chunk", true);
        }
        if (userData.optionsPresent())
        {
            final List<Object> list = new ArrayList<>();
            userData.options(options);
            int next;
            while (OptionFlyweight.OPTION == (next = options.next()))
            {
                list.add(userDataOption(b));
            }
            if (next < 0)
            {
                fields.put("options_error", next);
            }
            fields.put("options", list);
            if (userData.hasUnknownMandatoryOption())
            {
                fields.put("unknownMandatoryOption", true);
            }
        }
        fields.put("userData_len", userData.userDataLength());
        return rc;
    }

    /** The option {@link #options} is on: per-flow metadata (RFC 7425 §5.1.1 when it is TC's) or return flow. */
    private Map<String, Object> userDataOption(final DirectBuffer b)
    {
        final Map<String, Object> option = new LinkedHashMap<>();
        option.put("type", options.type());
        option.put("value_hex", hex(b, options.valueOffset(), options.valueLength()));
        if (UserDataChunk.OPTION_PER_FLOW_METADATA == options.type())
        {
            option.put("name", "userPerFlowMetadata");
            if (0 == tcMetadata.wrap(b, options.valueOffset(), options.valueLength()))
            {
                final Map<String, Object> tc = new LinkedHashMap<>();
                tc.put("signature", "TC");
                tc.put("flags", tcMetadata.flags());
                tc.put("receiveIntent", tcMetadata.networkOrder() ? "network" : "sequence");
                tc.put("streamID", tcMetadata.streamId());
                option.put("tc_metadata", tc);
            }
        }
        else if (UserDataChunk.OPTION_RETURN_FLOW_ASSOCIATION == options.type())
        {
            option.put("name", "returnFlowAssociation");
            option.put("returnFlowID", userData.returnFlowId());
        }
        return option;
    }
}
