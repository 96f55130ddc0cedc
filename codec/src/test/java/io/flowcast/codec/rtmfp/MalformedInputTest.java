package io.flowcast.codec.rtmfp;

import io.flowcast.codec.OptionFlyweight;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed input gives a named error code: truncations, VLUs past the buffer or over 64 bits, lengths past the end,
 * option lengths that lie, and the semantic rules of §2.3.11/§2.3.12. Buffers are exact-size, so any read outside
 * the input would throw (Agrona bounds checks are on in tests).
 */
class MalformedInputTest
{
    private final PacketDecoder decoder = new PacketDecoder();
    private final UserDataChunk userData = new UserDataChunk();

    private static UnsafeBuffer bytes(final String hex)
    {
        return new UnsafeBuffer(GoldenSession.hex(hex.replace(" ", "")));
    }

    private int decodeFirst(final String packetHex)
    {
        final UnsafeBuffer buffer = bytes(packetHex);
        final int rc = decoder.wrap(buffer, 0, buffer.capacity());
        if (rc < 0)
        {
            return rc;
        }
        return decoder.next();
    }

    @Test
    void packetHeaderErrors()
    {
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        assertThat(decoder.wrap(empty, 0, 0)).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(decoder.next()).isEqualTo(PacketDecoder.END);
        assertThat(decodeFirst("00")).isEqualTo(RtmfpError.FORBIDDEN_MODE);
        assertThat(decodeFirst("8c 0000")).isEqualTo(RtmfpError.FORBIDDEN_MODE);
        assertThat(decodeFirst("09 00")).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(decodeFirst("0d 0001 00")).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(decodeFirst("05 00")).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(decodeFirst("01")).isEqualTo(PacketDecoder.END);
    }

    @Test
    void chunkThatDoesNotFitIsPaddingPerSection224()
    {
        assertThat(decodeFirst("01 10 0005 00 02 01 01")).isEqualTo(PacketDecoder.END);
        assertThat(decoder.paddingOffset()).isEqualTo(1);
        assertThat(decoder.paddingLength()).isEqualTo(7);
        assertThat(decodeFirst("01 10 00")).isEqualTo(PacketDecoder.END);
        assertThat(decodeFirst("01 ffffff")).isEqualTo(PacketDecoder.END);
    }

    @Test
    void vluErrors()
    {
        final IHelloChunk iHello = new IHelloChunk();
        // epdLength VLU runs past the chunk
        assertThat(decodeFirst("0b 0000 30 0002 8181")).isEqualTo(ChunkType.IHELLO);
        assertThat(iHello.wrap(decoder)).isEqualTo(RtmfpError.TRUNCATED);
        // epdLength of 2^64: eleven digits
        assertThat(decodeFirst("0b 0000 30 000b 82 ff ff ff ff ff ff ff ff ff 7f")).isEqualTo(ChunkType.IHELLO);
        assertThat(iHello.wrap(decoder)).isEqualTo(RtmfpError.VLU_OVERFLOW);
        // epdLength larger than the chunk, and 2^64-1 (negative as a signed long)
        assertThat(decodeFirst("0b 0000 30 0003 05 0000")).isEqualTo(ChunkType.IHELLO);
        assertThat(iHello.wrap(decoder)).isEqualTo(RtmfpError.LENGTH_PAST_END);
        assertThat(decodeFirst("0b 0000 30 000a 81 ff ff ff ff ff ff ff ff 7f")).isEqualTo(ChunkType.IHELLO);
        assertThat(iHello.wrap(decoder)).isEqualTo(RtmfpError.LENGTH_PAST_END);
        // user data flow ID runs past the chunk
        assertThat(decodeFirst("01 10 0002 00 82")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(decodeFirst("01 10 0000")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.TRUNCATED);
    }

    @Test
    void userDataOptionErrors()
    {
        // option claims 9 bytes, chunk has 3 left
        assertThat(decodeFirst("01 10 0007 80 02 01 01 09 00 54")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.MALFORMED_OPTION);
        // no Marker before the end of the chunk
        assertThat(decodeFirst("01 10 0007 80 02 01 01 02 0a 02")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.MALFORMED_OPTION);
        // return flow association whose value is a broken VLU
        assertThat(decodeFirst("01 10 0008 80 02 01 01 02 0a 82 00")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.MALFORMED_OPTION);
        // an unknown option below 0x2000 is reported, one above is ignored
        assertThat(decodeFirst("01 10 0008 80 02 01 01 02 05 00 00")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.OK);
        assertThat(userData.hasUnknownMandatoryOption()).isTrue();
        assertThat(decodeFirst("01 10 000a 80 02 01 01 03 c001 ff 00 aa")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.OK);
        assertThat(userData.hasUnknownMandatoryOption()).isFalse();
        assertThat(userData.userDataLength()).isEqualTo(1);
    }

    @Test
    void userDataSequenceRules()
    {
        // fsnOffset 0 without ABN, then with ABN
        assertThat(decodeFirst("01 10 0004 00 02 05 00")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.BAD_FSN_OFFSET);
        assertThat(decodeFirst("01 10 0004 02 02 05 00")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.OK);
        // fsnOffset greater than the sequence number
        assertThat(decodeFirst("01 10 0004 00 02 05 06")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.BAD_FSN_OFFSET);
        // sequence number >= 2^63
        assertThat(decodeFirst("01 10 000d 00 02 81 80 80 80 80 80 80 80 80 00 01")).isEqualTo(ChunkType.USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.SEQUENCE_OVERFLOW);
        // Next User Data first in the packet
        assertThat(decodeFirst("01 11 0001 00")).isEqualTo(ChunkType.NEXT_USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.NO_PRECEDING_USER_DATA);
        // Next User Data after a malformed User Data inherits its error
        assertThat(decodeFirst("01 10 0002 00 82 11 0001 00")).isEqualTo(ChunkType.USER_DATA);
        assertThat(decoder.next()).isEqualTo(ChunkType.NEXT_USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.TRUNCATED);
        // an empty Next User Data breaks the chain for the ones after it
        assertThat(decodeFirst("01 10 0004 00 02 05 01 11 0000 11 0001 00")).isEqualTo(ChunkType.USER_DATA);
        assertThat(decoder.next()).isEqualTo(ChunkType.NEXT_USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(decoder.next()).isEqualTo(ChunkType.NEXT_USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.NO_PRECEDING_USER_DATA);
        // a non-data chunk between keeps the chain (§2.3.12: the most recent User Data chunk of the packet)
        assertThat(decodeFirst("01 10 0004 00 02 05 01 ec 0001 00 11 0001 00")).isEqualTo(ChunkType.USER_DATA);
        assertThat(decoder.next()).isEqualTo(0xec);
        assertThat(decoder.next()).isEqualTo(ChunkType.NEXT_USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.OK);
        assertThat(userData.sequenceNumber()).isEqualTo(6);
        assertThat(userData.forwardSequenceNumber()).isEqualTo(4);
        // a new packet resets the chain
        assertThat(decodeFirst("01 11 0001 00")).isEqualTo(ChunkType.NEXT_USER_DATA);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.NO_PRECEDING_USER_DATA);
    }

    @Test
    void otherChunkErrors()
    {
        assertThat(decodeFirst("0b 0000 71 0003 00 00 01")).isEqualTo(ChunkType.REDIRECT);
        assertThat(new RedirectChunk().wrap(decoder)).isEqualTo(RtmfpError.BAD_ADDRESS);
        assertThat(decodeFirst("0b 0000 71 0008 00 80 00000000 0000")).isEqualTo(ChunkType.REDIRECT);
        assertThat(new RedirectChunk().wrap(decoder)).isEqualTo(RtmfpError.BAD_ADDRESS);
        assertThat(decodeFirst("0b 0000 38 0003 000000")).isEqualTo(ChunkType.IIKEYING);
        assertThat(new IIKeyingChunk().wrap(decoder)).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(decodeFirst("0b 0000 38 0006 00000002 05 00")).isEqualTo(ChunkType.IIKEYING);
        assertThat(new IIKeyingChunk().wrap(decoder)).isEqualTo(RtmfpError.LENGTH_PAST_END);
        assertThat(decodeFirst("0b 0000 78 0005 00000002 09")).isEqualTo(ChunkType.RIKEYING);
        assertThat(new RIKeyingChunk().wrap(decoder)).isEqualTo(RtmfpError.LENGTH_PAST_END);
        assertThat(decodeFirst("0b 0000 0f 0003 00 80 00")).isEqualTo(ChunkType.FORWARDED_IHELLO);
        assertThat(new ForwardedIHelloChunk().wrap(decoder)).isEqualTo(RtmfpError.BAD_ADDRESS);
        assertThat(decodeFirst("0b 0000 70 0003 05 0000")).isEqualTo(ChunkType.RHELLO);
        assertThat(new RHelloChunk().wrap(decoder)).isEqualTo(RtmfpError.LENGTH_PAST_END);
        assertThat(decodeFirst("0b 0000 79 0001 01")).isEqualTo(ChunkType.RHELLO_COOKIE_CHANGE);
        assertThat(new RHelloCookieChangeChunk().wrap(decoder)).isEqualTo(RtmfpError.LENGTH_PAST_END);
        assertThat(decodeFirst("01 7f 0003 00 01 02")).isEqualTo(ChunkType.PACKET_FRAGMENT);
        assertThat(new PacketFragmentChunk().wrap(decoder)).isEqualTo(RtmfpError.BAD_CHUNK_LENGTH);
        assertThat(decodeFirst("01 5e 0001 02")).isEqualTo(ChunkType.FLOW_EXCEPTION_REPORT);
        assertThat(new FlowChunk().wrap(decoder)).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(decodeFirst("01 18 0000")).isEqualTo(ChunkType.BUFFER_PROBE);
        assertThat(new FlowChunk().wrap(decoder)).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(decodeFirst("01 50 0002 05 7f")).isEqualTo(ChunkType.DATA_ACK_BITMAP);
        assertThat(new DataAckBitmapChunk().wrap(decoder)).isEqualTo(RtmfpError.TRUNCATED);
        assertThat(new IHelloChunk().wrap(decoder)).isEqualTo(RtmfpError.WRONG_CHUNK_TYPE);
        assertThat(userData.wrap(decoder)).isEqualTo(RtmfpError.WRONG_CHUNK_TYPE);

        // a range whose end passes 2^63 - 1
        assertThat(decodeFirst("01 51 000d 05 7f 10 00 ff ff ff ff ff ff ff ff 7f"))
            .isEqualTo(ChunkType.DATA_ACK_RANGES);
        final DataAckRangesChunk ranges = new DataAckRangesChunk();
        assertThat(ranges.wrap(decoder)).isEqualTo(RtmfpError.OK);
        assertThat(ranges.nextRange()).isEqualTo(RtmfpError.SEQUENCE_OVERFLOW);
        assertThat(ranges.nextRange()).isEqualTo(DataAckRangesChunk.END);
    }

    @Test
    void longListsOfEmptyOptionsDoNotRecurse()
    {
        final UnsafeBuffer zeros = new UnsafeBuffer(new byte[200_000]);
        final OptionFlyweight options = new OptionFlyweight();
        assertThat(options.wrap(zeros, 0, zeros.capacity(), false).next()).isEqualTo(OptionFlyweight.END);
        assertThat(options.wrap(zeros, 0, 0, true).next()).isEqualTo(OptionFlyweight.ERROR_NO_MARKER);
    }

    @Test
    void assemblerRefusesWhatDoesNotFitAndWritesNothingPastTheLimit()
    {
        final byte[] bytes = new byte[64];
        java.util.Arrays.fill(bytes, (byte)0x5a);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final UnsafeBuffer data = new UnsafeBuffer(new byte[40]);
        final PacketAssembler assembler = new PacketAssembler().wrap(buffer, 2, 50);

        assertThat(assembler.begin(PacketDecoder.MODE_INITIATOR, false, false, 1, 2)).isEqualTo(5);
        assertThat(assembler.appendUserData(0, 2, 1, 1, null, 0, 0, -1, data, 0, 36)).isEqualTo(43);
        assertThat(assembler.remaining()).isZero();
        assertThat(assembler.appendSessionClose(ChunkType.SESSION_CLOSE_ACK)).isEqualTo(RtmfpError.NO_SPACE);
        assertThat(assembler.appendUserData(0, 2, 2, 2, null, 0, 0, -1, data, 0, 0)).isEqualTo(RtmfpError.NO_SPACE);
        assertThat(assembler.appendPadding(1)).isEqualTo(RtmfpError.NO_SPACE);
        assertThat(assembler.finish()).isEqualTo(48);

        assertThat(assembler.begin(PacketDecoder.MODE_INITIATOR, false, false, 1, 2)).isEqualTo(5);
        assertThat(assembler.appendUserData(0, 2, 1, 1, null, 0, 0, -1, data, 0, 37)).isEqualTo(RtmfpError.NO_SPACE);
        assertThat(assembler.appendDataAckRanges(2, 1, 1, new long[]{ 3, 3 }, 1)).isEqualTo(8);
        assertThat(assembler.chunkCount()).isEqualTo(1);
        for (int i = 50; i < bytes.length; i++)
        {
            assertThat(bytes[i]).as("byte %d past the limit", i).isEqualTo((byte)0x5a);
        }
        assertThat(bytes[0]).isEqualTo((byte)0x5a);
        assertThat(bytes[1]).isEqualTo((byte)0x5a);

        final PacketAssembler tiny = new PacketAssembler().wrap(buffer, 0, 2);
        assertThat(tiny.begin(PacketDecoder.MODE_STARTUP, false, false, 0, -1)).isEqualTo(RtmfpError.NO_SPACE);
        assertThat(new PacketAssembler().wrap(buffer, 0, 64).appendChunk(0x20, data, 0, 0x1_0000))
            .isEqualTo(RtmfpError.NO_SPACE);
    }

    @Test
    void errorNamesAreDistinct()
    {
        final java.util.Set<String> names = new java.util.HashSet<>();
        for (int code = 0; code >= -12; code--)
        {
            assertThat(names.add(RtmfpError.name(code))).as("code %d", code).isTrue();
            assertThat(RtmfpError.name(code)).doesNotStartWith("UNKNOWN");
        }
    }
}
