package io.flowcast.codec.rtmfp;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.codec.OptionFlyweight;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every datagram of the golden session (shared/interop, README §3): unscramble the session ID, decode the recorded
 * plain packet and compare header and every chunk's type, offset, length and fields with the record, then re-encode
 * it with the encoders and the assembler and compare the bytes.
 */
class GoldenSessionCodecTest
{
    /** Keys of chunk {@code fields} compared below, or knowingly out of scope (names, RFC 7425 and AMF decodes). */
    private static final Set<String> KNOWN_FIELDS = Set.of(
        // compared
        "epdLength", "epd_hex", "epd", "tag_hex",
        "tagLength", "tagEcho_hex", "cookieLength", "cookie_hex", "responderCertificate_offset",
        "responderCertificate_hex", "responderCertificate",
        "initiatorSessionID_hex", "cookieEcho_hex", "certLength", "initiatorCertificate_offset",
        "initiatorCertificate_hex", "initiatorCertificate", "skicLength", "skic_offset", "skic_hex", "skic",
        "signedParametersLength", "signature_hex",
        "responderSessionID_hex", "skrcLength", "skrc_offset", "skrc_hex", "skrc",
        "flags", "OPT", "FRA", "ABN", "FIN", "flowID", "sequenceNumber", "fsnOffset", "forwardSequenceNumber",
        "implied_from_previous_chunk", "options", "userData_offset", "userData_len",
        "bufferBlocksAvailable", "cumulativeAck", "ranges", "ce_count_low8",
        // out of scope of the RTMFP codec: labels, hashes, and the RFC 7425 / AMF layers above it
        "flags_hex", "fragment", "session", "direction", "tc_message", "tc_message_header", "reassembled_message",
        "responderFingerprint_sha256", "initiatorFingerprint_sha256");

    private final PacketDecoder decoder = new PacketDecoder();
    private final UserDataChunk userData = new UserDataChunk();
    private final DataAckRangesChunk ranges = new DataAckRangesChunk();
    private final IHelloChunk iHello = new IHelloChunk();
    private final RHelloChunk rHello = new RHelloChunk();
    private final IIKeyingChunk iiKeying = new IIKeyingChunk();
    private final RIKeyingChunk riKeying = new RIKeyingChunk();
    private final OptionFlyweight options = new OptionFlyweight();
    private final PacketAssembler assembler = new PacketAssembler();

    @Test
    void unscramblesEverySessionIdAndScramblesItBack()
    {
        for (final JsonNode datagram : GoldenSession.datagrams())
        {
            final byte[] raw = GoldenSession.hex(datagram.get("raw_hex").asText());
            final UnsafeBuffer buffer = new UnsafeBuffer(raw);
            assertThat(Multiplex.sessionId(buffer, 0, raw.length))
                .as("i=%d", datagram.get("i").asInt())
                .isEqualTo(datagram.get("session_id").asLong());

            final UnsafeBuffer copy = new UnsafeBuffer(raw.clone());
            assertThat(Multiplex.unscramble(copy, 0, raw.length)).isEqualTo(RtmfpError.OK);
            assertThat(GoldenSession.hex(java.util.Arrays.copyOf(copy.byteArray(), 4)))
                .isEqualTo(datagram.get("session_id_hex").asText());
            Multiplex.scramble(copy, 0, raw.length, copy.getInt(0, java.nio.ByteOrder.BIG_ENDIAN));
            assertThat(copy.byteArray()).isEqualTo(raw);
        }
    }

    @Test
    void decodesEveryDatagramLikeTheRecord()
    {
        int chunkCount = 0;
        int userDataCount = 0;
        int impliedCount = 0;
        for (final JsonNode datagram : GoldenSession.datagrams())
        {
            final int i = datagram.get("i").asInt();
            final byte[] plain = GoldenSession.hex(datagram.get("plain_hex").asText());
            final UnsafeBuffer buffer = new UnsafeBuffer(plain);
            final JsonNode header = datagram.get("header");

            assertThat(decoder.wrap(buffer, 0, plain.length)).as("i=%d", i).isEqualTo(RtmfpError.OK);
            assertThat(decoder.flags()).as("i=%d flags", i).isEqualTo(header.get("flags").asInt());
            assertThat(decoder.timeCritical()).isEqualTo(header.get("TC").asBoolean());
            assertThat(decoder.timeCriticalReverse()).isEqualTo(header.get("TCR").asBoolean());
            assertThat(decoder.reserved()).isEqualTo(header.get("rsv").asInt());
            assertThat(decoder.hasTimestamp()).isEqualTo(header.get("TS").asBoolean());
            assertThat(decoder.hasTimestampEcho()).isEqualTo(header.get("TSE").asBoolean());
            assertThat(decoder.mode()).isEqualTo(header.get("mode").asInt());
            assertThat(decoder.timestamp()).as("i=%d ts", i)
                .isEqualTo(header.has("timestamp") ? header.get("timestamp").asInt() : PacketDecoder.ABSENT);
            assertThat(decoder.timestampEcho()).as("i=%d tse", i)
                .isEqualTo(header.has("timestampEcho") ? header.get("timestampEcho").asInt() : PacketDecoder.ABSENT);
            assertThat(decoder.headerLength()).isEqualTo(header.get("header_len").asInt());

            final JsonNode chunks = datagram.get("chunks");
            int index = 0;
            int type;
            while ((type = decoder.next()) != PacketDecoder.END)
            {
                assertThat(index).as("i=%d: more chunks than recorded", i).isLessThan(chunks.size());
                final JsonNode chunk = chunks.get(index);
                final String at = "i=" + i + " chunk " + index;
                assertThat(type).as(at).isEqualTo(Integer.parseInt(chunk.get("type").asText().substring(2), 16));
                assertThat(decoder.chunkOffset()).as(at).isEqualTo(chunk.get("offset").asInt());
                assertThat(decoder.payloadLength()).as(at).isEqualTo(chunk.get("len").asInt());
                assertThat(hex(buffer, decoder.payloadOffset(), decoder.payloadLength()))
                    .isEqualTo(chunk.get("payload_hex").asText());
                assertKnownFields(at, chunk.get("fields"));
                checkFields(at, type, chunk.get("fields"), buffer);
                if (type == ChunkType.USER_DATA || type == ChunkType.NEXT_USER_DATA)
                {
                    userDataCount++;
                    impliedCount += userData.isImplied() ? 1 : 0;
                }
                index++;
                chunkCount++;
            }
            assertThat(index).as("i=%d chunk count", i).isEqualTo(chunks.size());
            assertThat(decoder.paddingLength()).as("i=%d padding", i).isEqualTo(header.get("padding_len").asInt());
            assertThat(hex(buffer, decoder.paddingOffset(), decoder.paddingLength()))
                .isEqualTo(header.get("padding_hex").asText());
        }
        // README §7: 264 User Data + 198 Range Ack + 138 ECN + 6 Next User Data + 4 Close Ack + 8 handshake chunks
        assertThat(chunkCount).isEqualTo(264 + 198 + 138 + 6 + 4 + 8);
        assertThat(userDataCount).isEqualTo(270);
        assertThat(impliedCount).isEqualTo(6);
    }

    @Test
    void reEncodesEveryDatagramByteForByte()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
        for (final JsonNode datagram : GoldenSession.datagrams())
        {
            final int i = datagram.get("i").asInt();
            final byte[] plain = GoldenSession.hex(datagram.get("plain_hex").asText());
            final UnsafeBuffer in = new UnsafeBuffer(plain);
            out.setMemory(0, out.capacity(), (byte)0x5a);

            assertThat(decoder.wrap(in, 0, plain.length)).isEqualTo(RtmfpError.OK);
            assembler.wrap(out, 0, plain.length);
            assertThat(assembler.begin(
                decoder.mode(), decoder.timeCritical(), decoder.timeCriticalReverse(),
                decoder.timestamp(), decoder.timestampEcho())).isEqualTo(decoder.headerLength());

            int type;
            while ((type = decoder.next()) != PacketDecoder.END)
            {
                final int written = encodeLike(type, in);
                assertThat(written).as("i=%d chunk at %d", i, decoder.chunkOffset())
                    .isEqualTo(ChunkHeader.LENGTH + decoder.payloadLength());
            }
            assertThat(assembler.appendPadding(decoder.paddingLength())).isEqualTo(decoder.paddingLength());
            assertThat(assembler.finish()).isEqualTo(plain.length);
            assertThat(hex(out, 0, plain.length)).as("i=%d", i).isEqualTo(datagram.get("plain_hex").asText());
        }
    }

    private int encodeLike(final int type, final DirectBuffer in)
    {
        final int p = assembler.position();
        final int limit = assembler.limit();
        final UnsafeBuffer out = (UnsafeBuffer)assembler.buffer();
        switch (type)
        {
            case ChunkType.USER_DATA:
            case ChunkType.NEXT_USER_DATA:
            {
                assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.OK);
                assertThat(assembler.canUseNextUserData(
                    userData.flowId(), userData.sequenceNumber(), userData.fsnOffset()))
                    .isEqualTo(type == ChunkType.NEXT_USER_DATA);
                final boolean hasMetadata = userData.metadataOffset() != UserDataChunk.ABSENT;
                return assembler.appendUserData(
                    userData.flags(), userData.flowId(), userData.sequenceNumber(), userData.fsnOffset(),
                    hasMetadata ? in : null, userData.metadataOffset(), userData.metadataLength(),
                    userData.returnFlowId(), in, userData.userDataOffset(), userData.userDataLength());
            }
            case ChunkType.DATA_ACK_RANGES:
            {
                assertThat(ranges.wrap(decoder)).isEqualTo(RtmfpError.OK);
                final long[] bounds = new long[64];
                int count = 0;
                while (ranges.nextRange() == DataAckRangesChunk.RANGE)
                {
                    bounds[2 * count] = ranges.rangeFrom();
                    bounds[2 * count + 1] = ranges.rangeTo();
                    count++;
                }
                return assembler.appendDataAckRanges(
                    ranges.flowId(), ranges.bufferBlocksAvailable(), ranges.cumulativeAck(), bounds, count);
            }
            case ChunkType.SESSION_CLOSE_ACK:
                return assembler.appendSessionClose(type);
            case ChunkType.IHELLO:
                assertThat(iHello.wrap(decoder)).isEqualTo(RtmfpError.OK);
                return assembler.commit(IHelloChunk.encode(
                    out, p, limit, in, iHello.epdOffset(), iHello.epdLength(), in, iHello.tagOffset(),
                    iHello.tagLength()));
            case ChunkType.RHELLO:
                assertThat(rHello.wrap(decoder)).isEqualTo(RtmfpError.OK);
                return assembler.commit(RHelloChunk.encode(
                    out, p, limit, in, rHello.tagEchoOffset(), rHello.tagEchoLength(), in, rHello.cookieOffset(),
                    rHello.cookieLength(), in, rHello.certificateOffset(), rHello.certificateLength()));
            case ChunkType.IIKEYING:
                assertThat(iiKeying.wrap(decoder)).isEqualTo(RtmfpError.OK);
                return assembler.commit(IIKeyingChunk.encode(
                    out, p, limit, iiKeying.initiatorSessionId(), in, iiKeying.cookieOffset(), iiKeying.cookieLength(),
                    in, iiKeying.certificateOffset(), iiKeying.certificateLength(), in, iiKeying.skicOffset(),
                    iiKeying.skicLength(), in, iiKeying.signatureOffset(), iiKeying.signatureLength()));
            case ChunkType.RIKEYING:
                assertThat(riKeying.wrap(decoder)).isEqualTo(RtmfpError.OK);
                return assembler.commit(RIKeyingChunk.encode(
                    out, p, limit, riKeying.responderSessionId(), in, riKeying.skrcOffset(), riKeying.skrcLength(),
                    in, riKeying.signatureOffset(), riKeying.signatureLength()));
            default:
                // unknown types (rtmfp-cpp's 0xEC) are carried opaquely
                return assembler.appendChunk(type, in, decoder.payloadOffset(), decoder.payloadLength());
        }
    }

    private void checkFields(final String at, final int type, final JsonNode fields, final UnsafeBuffer buffer)
    {
        final int payload = decoder.payloadOffset();
        switch (type)
        {
            case ChunkType.IHELLO:
                assertThat(iHello.wrap(decoder)).as(at).isEqualTo(RtmfpError.OK);
                assertThat(iHello.epdLength()).isEqualTo(fields.get("epdLength").asInt());
                assertThat(hex(buffer, iHello.epdOffset(), iHello.epdLength())).isEqualTo(text(fields, "epd_hex"));
                assertThat(hex(buffer, iHello.tagOffset(), iHello.tagLength())).isEqualTo(text(fields, "tag_hex"));
                checkOptions(at, buffer, iHello.epdOffset(), iHello.epdLength(), fields.get("epd"));
                break;

            case ChunkType.RHELLO:
                assertThat(rHello.wrap(decoder)).as(at).isEqualTo(RtmfpError.OK);
                assertThat(rHello.tagEchoLength()).isEqualTo(fields.get("tagLength").asInt());
                assertThat(hex(buffer, rHello.tagEchoOffset(), rHello.tagEchoLength()))
                    .isEqualTo(text(fields, "tagEcho_hex"));
                assertThat(rHello.cookieLength()).isEqualTo(fields.get("cookieLength").asInt());
                assertThat(hex(buffer, rHello.cookieOffset(), rHello.cookieLength()))
                    .isEqualTo(text(fields, "cookie_hex"));
                assertThat(rHello.certificateOffset() - payload)
                    .isEqualTo(fields.get("responderCertificate_offset").asInt());
                assertThat(hex(buffer, rHello.certificateOffset(), rHello.certificateLength()))
                    .isEqualTo(text(fields, "responderCertificate_hex"));
                checkOptions(at, buffer, rHello.certificateOffset(), rHello.certificateLength(),
                    fields.get("responderCertificate"));
                break;

            case ChunkType.IIKEYING:
                assertThat(iiKeying.wrap(decoder)).as(at).isEqualTo(RtmfpError.OK);
                assertThat(hex(buffer, payload, 4)).isEqualTo(text(fields, "initiatorSessionID_hex"));
                assertThat(String.format("%08x", iiKeying.initiatorSessionId()))
                    .isEqualTo(text(fields, "initiatorSessionID_hex"));
                assertThat(iiKeying.cookieLength()).isEqualTo(fields.get("cookieLength").asInt());
                assertThat(hex(buffer, iiKeying.cookieOffset(), iiKeying.cookieLength()))
                    .isEqualTo(text(fields, "cookieEcho_hex"));
                assertThat(iiKeying.certificateLength()).isEqualTo(fields.get("certLength").asInt());
                assertThat(iiKeying.certificateOffset() - payload)
                    .isEqualTo(fields.get("initiatorCertificate_offset").asInt());
                assertThat(hex(buffer, iiKeying.certificateOffset(), iiKeying.certificateLength()))
                    .isEqualTo(text(fields, "initiatorCertificate_hex"));
                checkOptions(at, buffer, iiKeying.certificateOffset(), iiKeying.certificateLength(),
                    fields.get("initiatorCertificate"));
                assertThat(iiKeying.skicLength()).isEqualTo(fields.get("skicLength").asInt());
                assertThat(iiKeying.skicOffset() - payload).isEqualTo(fields.get("skic_offset").asInt());
                assertThat(hex(buffer, iiKeying.skicOffset(), iiKeying.skicLength()))
                    .isEqualTo(text(fields, "skic_hex"));
                checkOptions(at, buffer, iiKeying.skicOffset(), iiKeying.skicLength(), fields.get("skic"));
                assertThat(iiKeying.signedParametersOffset()).isEqualTo(payload);
                assertThat(iiKeying.signedParametersLength()).isEqualTo(fields.get("signedParametersLength").asInt());
                assertThat(hex(buffer, iiKeying.signatureOffset(), iiKeying.signatureLength()))
                    .isEqualTo(text(fields, "signature_hex"));
                break;

            case ChunkType.RIKEYING:
                assertThat(riKeying.wrap(decoder)).as(at).isEqualTo(RtmfpError.OK);
                assertThat(String.format("%08x", riKeying.responderSessionId()))
                    .isEqualTo(text(fields, "responderSessionID_hex"));
                assertThat(riKeying.skrcLength()).isEqualTo(fields.get("skrcLength").asInt());
                assertThat(riKeying.skrcOffset() - payload).isEqualTo(fields.get("skrc_offset").asInt());
                assertThat(hex(buffer, riKeying.skrcOffset(), riKeying.skrcLength()))
                    .isEqualTo(text(fields, "skrc_hex"));
                checkOptions(at, buffer, riKeying.skrcOffset(), riKeying.skrcLength(), fields.get("skrc"));
                assertThat(hex(buffer, riKeying.signatureOffset(), riKeying.signatureLength()))
                    .isEqualTo(text(fields, "signature_hex"));
                break;

            case ChunkType.USER_DATA:
            case ChunkType.NEXT_USER_DATA:
                assertThat(userData.wrap(decoder)).as(at).isEqualTo(RtmfpError.OK);
                assertThat(userData.type()).isEqualTo(type);
                assertThat(userData.flags()).as(at).isEqualTo(fields.get("flags").asInt());
                assertThat(userData.optionsPresent()).isEqualTo(fields.get("OPT").asBoolean());
                assertThat(userData.fragmentControl()).isEqualTo(fields.get("FRA").asInt());
                assertThat(userData.abandon()).isEqualTo(fields.get("ABN").asBoolean());
                assertThat(userData.fin()).isEqualTo(fields.get("FIN").asBoolean());
                assertThat(userData.flowId()).as(at).isEqualTo(fields.get("flowID").asLong());
                assertThat(userData.sequenceNumber()).as(at).isEqualTo(fields.get("sequenceNumber").asLong());
                assertThat(userData.fsnOffset()).as(at).isEqualTo(fields.get("fsnOffset").asLong());
                assertThat(userData.forwardSequenceNumber()).isEqualTo(fields.get("forwardSequenceNumber").asLong());
                assertThat(userData.isImplied())
                    .isEqualTo(fields.path("implied_from_previous_chunk").asBoolean(false))
                    .isEqualTo(type == ChunkType.NEXT_USER_DATA);
                assertThat(userData.userDataOffset() - payload).as(at).isEqualTo(fields.get("userData_offset").asInt());
                assertThat(userData.userDataLength()).as(at).isEqualTo(fields.get("userData_len").asInt());
                checkUserDataOptions(at, buffer, payload, fields.get("options"));
                break;

            case ChunkType.DATA_ACK_RANGES:
                assertThat(ranges.wrap(decoder)).as(at).isEqualTo(RtmfpError.OK);
                assertThat(ranges.flowId()).isEqualTo(fields.get("flowID").asLong());
                assertThat(ranges.bufferBlocksAvailable()).isEqualTo(fields.get("bufferBlocksAvailable").asLong());
                assertThat(ranges.cumulativeAck()).isEqualTo(fields.get("cumulativeAck").asLong());
                final JsonNode expected = fields.get("ranges");
                int r = 0;
                while (ranges.nextRange() == DataAckRangesChunk.RANGE)
                {
                    assertThat(r).isLessThan(expected.size());
                    r++;
                }
                assertThat(r).isEqualTo(expected.size());
                break;

            case ChunkType.ECN_REPORT_EXPERIMENTAL:
                assertThat(ChunkType.isDefined(type)).isFalse();
                assertThat(buffer.getByte(payload) & 0xFF).isEqualTo(fields.get("ce_count_low8").asInt());
                break;

            case ChunkType.SESSION_CLOSE_ACK:
                assertThat(decoder.payloadLength()).isZero();
                break;

            default:
                throw new AssertionError(at + ": type not in the golden session " + ChunkType.name(type));
        }
    }

    private void checkOptions(
        final String at, final DirectBuffer buffer, final int offset, final int length, final JsonNode expected)
    {
        options.wrap(buffer, offset, offset + length, false);
        int n = 0;
        while (options.next() == OptionFlyweight.OPTION)
        {
            final JsonNode option = expected.get(n++);
            assertThat(options.optionOffset() - offset).as(at).isEqualTo(option.get("offset").asInt());
            assertThat(options.type()).as(at).isEqualTo(option.get("type").asLong());
            assertThat(hex(buffer, options.valueOffset(), options.valueLength())).isEqualTo(text(option, "value_hex"));
        }
        assertThat(options.next()).isEqualTo(OptionFlyweight.END);
        assertThat(n).as(at).isEqualTo(expected.size());
    }

    private void checkUserDataOptions(
        final String at, final DirectBuffer buffer, final int payload, final JsonNode expected)
    {
        if (!userData.optionsPresent())
        {
            assertThat(expected == null || expected.isEmpty()).as(at).isTrue();
            assertThat(userData.optionsLength()).isZero();
            assertThat(userData.metadataOffset()).isEqualTo(UserDataChunk.ABSENT);
            assertThat(userData.returnFlowId()).isEqualTo(UserDataChunk.ABSENT);
            return;
        }
        userData.options(options);
        int n = 0;
        long returnFlowId = UserDataChunk.ABSENT;
        String metadata = null;
        while (options.next() == OptionFlyweight.OPTION)
        {
            final JsonNode option = expected.get(n++);
            assertThat(options.optionOffset() - payload).as(at).isEqualTo(option.get("offset").asInt());
            assertThat(options.type()).isEqualTo(option.get("type").asLong());
            assertThat(hex(buffer, options.valueOffset(), options.valueLength())).isEqualTo(text(option, "value_hex"));
            if (option.has("returnFlowID"))
            {
                returnFlowId = option.get("returnFlowID").asLong();
            }
            if (option.get("type").asInt() == UserDataChunk.OPTION_PER_FLOW_METADATA)
            {
                metadata = text(option, "value_hex");
            }
        }
        final JsonNode marker = expected.get(n++);
        assertThat(marker.get("marker").asBoolean()).as(at).isTrue();
        assertThat(options.position() - 1 - payload).isEqualTo(marker.get("offset").asInt());
        assertThat(n).isEqualTo(expected.size());
        assertThat(userData.returnFlowId()).as(at).isEqualTo(returnFlowId);
        assertThat(userData.hasUnknownMandatoryOption()).isFalse();
        if (null == metadata)
        {
            assertThat(userData.metadataOffset()).isEqualTo(UserDataChunk.ABSENT);
        }
        else
        {
            assertThat(hex(buffer, userData.metadataOffset(), userData.metadataLength())).isEqualTo(metadata);
        }
    }

    private static void assertKnownFields(final String at, final JsonNode fields)
    {
        for (final Iterator<String> names = fields.fieldNames(); names.hasNext(); )
        {
            final String name = names.next();
            assertThat(KNOWN_FIELDS).as("%s: field %s of the record is neither compared nor out of scope", at, name)
                .contains(name);
        }
    }

    private static String text(final JsonNode node, final String name)
    {
        assertThat(node.has(name)).as("record has %s", name).isTrue();
        return node.get(name).asText();
    }

    static String hex(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return GoldenSession.hex(bytes);
    }
}
