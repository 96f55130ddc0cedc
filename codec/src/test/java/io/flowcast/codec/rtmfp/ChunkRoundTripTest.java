package io.flowcast.codec.rtmfp;

import io.flowcast.codec.golden.GoldenSession;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.flowcast.codec.rtmfp.GoldenSessionCodecTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every chunk type of RFC 7016 §2.3: encode, decode through {@link PacketDecoder}, compare the fields; byte-exact
 * against the RFC's figures where it gives bytes (Figures 3 to 6).
 */
class ChunkRoundTripTest
{
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
    private final PacketAssembler assembler = new PacketAssembler();
    private final PacketDecoder decoder = new PacketDecoder();

    private static UnsafeBuffer bytes(final String hex)
    {
        return new UnsafeBuffer(GoldenSession.hex(hex.replace(" ", "")));
    }

    private static UnsafeBuffer text(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Start a packet of the given mode, let the body append chunks, return a decoder positioned before them. */
    private PacketDecoder packet(final int mode, final Runnable body)
    {
        assembler.wrap(out, 0, out.capacity());
        assertThat(assembler.begin(mode, false, false, 1234, -1)).isEqualTo(3);
        body.run();
        final int length = assembler.finish();
        assertThat(decoder.wrap(out, 0, length)).isEqualTo(RtmfpError.OK);
        assertThat(decoder.timestamp()).isEqualTo(1234);
        assertThat(decoder.timestampEcho()).isEqualTo(PacketDecoder.ABSENT);
        return decoder;
    }

    @Test
    void figure3NextUserDataBytesAndImpliedFields()
    {
        final PacketDecoder d = packet(PacketDecoder.MODE_INITIATOR, () ->
        {
            assertThat(assembler.appendUserData(0, 2, 5, 3, null, 0, 0, -1, bytes("000102"), 0, 3)).isEqualTo(10);
            assertThat(assembler.appendUserData(0, 2, 6, 4, null, 0, 0, -1, bytes("030405"), 0, 3)).isEqualTo(7);
            assertThat(assembler.appendUserData(0, 2, 7, 5, null, 0, 0, -1, bytes("060708"), 0, 3)).isEqualTo(7);
        });
        assertThat(hex(out, 3, 24)).isEqualTo("10000700020503000102" + "11000400030405" + "11000400060708");

        final UserDataChunk chunk = new UserDataChunk();
        for (int seq = 5; seq <= 7; seq++)
        {
            assertThat(d.next()).isEqualTo(seq == 5 ? ChunkType.USER_DATA : ChunkType.NEXT_USER_DATA);
            assertThat(chunk.wrap(d)).isEqualTo(RtmfpError.OK);
            assertThat(chunk.flowId()).isEqualTo(2);
            assertThat(chunk.sequenceNumber()).isEqualTo(seq);
            assertThat(chunk.forwardSequenceNumber()).isEqualTo(2);
            assertThat(chunk.isImplied()).isEqualTo(seq > 5);
            assertThat(chunk.userDataLength()).isEqualTo(3);
            assertThat(out.getByte(chunk.userDataOffset())).isEqualTo((byte)(3 * (seq - 5)));
        }
        assertThat(d.next()).isEqualTo(PacketDecoder.END);
    }

    @Test
    void figure4BitmapAck()
    {
        final UnsafeBuffer figure = bytes("50 00 05 05 7f 10 79 06");
        final PacketDecoder d = packet(PacketDecoder.MODE_RESPONDER, () ->
            assertThat(assembler.appendDataAckBitmap(5, 127, 16, bytes("7906"), 0, 2)).isEqualTo(8));
        assertThat(hex(out, 3, 8)).isEqualTo(hex(figure, 0, 8));

        assertThat(d.next()).isEqualTo(ChunkType.DATA_ACK_BITMAP);
        final DataAckBitmapChunk ack = new DataAckBitmapChunk();
        assertThat(ack.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(ack.flowId()).isEqualTo(5);
        assertThat(ack.bufferBlocksAvailable()).isEqualTo(127);
        assertThat(ack.cumulativeAck()).isEqualTo(16);
        final long[] expected = { 18, 18, 21, 24, 27, 28 };
        for (int i = 0; i < expected.length; i += 2)
        {
            assertThat(ack.nextRange()).isEqualTo(DataAckBitmapChunk.RANGE);
            assertThat(ack.rangeFrom()).isEqualTo(expected[i]);
            assertThat(ack.rangeTo()).isEqualTo(expected[i + 1]);
        }
        assertThat(ack.nextRange()).isEqualTo(DataAckBitmapChunk.END);
        for (long seq = 0; seq <= 40; seq++)
        {
            final boolean acked = seq <= 16 || seq == 18 || (seq >= 21 && seq <= 24) || seq == 27 || seq == 28;
            assertThat(ack.isAcknowledged(seq)).as("seq %d", seq).isEqualTo(acked);
        }
    }

    @Test
    void figure5RangeAck()
    {
        final PacketDecoder d = packet(PacketDecoder.MODE_RESPONDER, () ->
            assertThat(assembler.appendDataAckRanges(5, 127, 16, new long[]{ 18, 18, 21, 24 }, 2)).isEqualTo(10));
        assertThat(hex(out, 3, 10)).isEqualTo("510007057f1000000103");

        assertThat(d.next()).isEqualTo(ChunkType.DATA_ACK_RANGES);
        final DataAckRangesChunk ack = new DataAckRangesChunk();
        assertThat(ack.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(ack.flowId()).isEqualTo(5);
        assertThat(ack.bufferBlocksAvailable()).isEqualTo(127);
        assertThat(ack.cumulativeAck()).isEqualTo(16);
        assertThat(ack.nextRange()).isEqualTo(DataAckRangesChunk.RANGE);
        assertThat(ack.rangeFrom()).isEqualTo(18);
        assertThat(ack.rangeTo()).isEqualTo(18);
        assertThat(ack.nextRange()).isEqualTo(DataAckRangesChunk.RANGE);
        assertThat(ack.rangeFrom()).isEqualTo(21);
        assertThat(ack.rangeTo()).isEqualTo(24);
        assertThat(ack.nextRange()).isEqualTo(DataAckRangesChunk.END);
        assertThat(ack.truncated()).isFalse();
        ack.rewind();
        assertThat(ack.nextRange()).isEqualTo(DataAckRangesChunk.RANGE);
        assertThat(ack.rangeFrom()).isEqualTo(18);
    }

    @Test
    void figure6TruncatedRangeAckKeepsTheCompleteRanges()
    {
        final UnsafeBuffer figure = bytes("0b 00 00 51 00 07 05 7f 10 00 00 01 83");
        assertThat(decoder.wrap(figure, 0, figure.capacity())).isEqualTo(RtmfpError.OK);
        assertThat(decoder.next()).isEqualTo(ChunkType.DATA_ACK_RANGES);
        final DataAckRangesChunk ack = new DataAckRangesChunk();
        assertThat(ack.wrap(decoder)).isEqualTo(RtmfpError.OK);
        assertThat(ack.nextRange()).isEqualTo(DataAckRangesChunk.RANGE);
        assertThat(ack.rangeFrom()).isEqualTo(18);
        assertThat(ack.rangeTo()).isEqualTo(18);
        assertThat(ack.nextRange()).isEqualTo(DataAckRangesChunk.END);
        assertThat(ack.truncated()).isTrue();
    }

    @Test
    void userDataWithBothOptionsAndEveryFlag()
    {
        final UnsafeBuffer metadata = bytes("54430401");
        final int flags = (UserDataChunk.FRAGMENT_MIDDLE << UserDataChunk.FRA_SHIFT) | UserDataChunk.FLAG_FIN;
        final PacketDecoder d = packet(PacketDecoder.MODE_INITIATOR, () ->
        {
            assertThat(assembler.appendUserData(flags, 300, 70000, 3, metadata, 0, 4, 129, text("hello"), 0, 5))
                .isPositive();
            // different flow: not eligible for Next User Data
            assertThat(assembler.canUseNextUserData(7, 70001, 4)).isFalse();
            assertThat(assembler.canUseNextUserData(300, 70001, 4)).isTrue();
            assertThat(assembler.canUseNextUserData(300, 70001, 3)).isFalse();
            assertThat(assembler.appendUserData(UserDataChunk.FLAG_ABN, 300, 70001, 4, null, 0, 0, 2, null, 0, 0))
                .isPositive();
        });

        final UserDataChunk chunk = new UserDataChunk();
        assertThat(d.next()).isEqualTo(ChunkType.USER_DATA);
        assertThat(chunk.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(chunk.optionsPresent()).isTrue();
        assertThat(chunk.fragmentControl()).isEqualTo(UserDataChunk.FRAGMENT_MIDDLE);
        assertThat(chunk.fin()).isTrue();
        assertThat(chunk.abandon()).isFalse();
        assertThat(chunk.flowId()).isEqualTo(300);
        assertThat(chunk.sequenceNumber()).isEqualTo(70000);
        assertThat(chunk.fsnOffset()).isEqualTo(3);
        assertThat(chunk.forwardSequenceNumber()).isEqualTo(69997);
        assertThat(hex(out, chunk.metadataOffset(), chunk.metadataLength())).isEqualTo("54430401");
        assertThat(chunk.returnFlowId()).isEqualTo(129);
        assertThat(hex(out, chunk.userDataOffset(), chunk.userDataLength())).isEqualTo("68656c6c6f");
        // options: 05 00 54430401 | 03 0a 8101 | 00
        assertThat(chunk.optionsLength()).isEqualTo(6 + 4 + 1);

        assertThat(d.next()).isEqualTo(ChunkType.NEXT_USER_DATA);
        assertThat(chunk.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(chunk.isImplied()).isTrue();
        assertThat(chunk.abandon()).isTrue();
        assertThat(chunk.flowId()).isEqualTo(300);
        assertThat(chunk.sequenceNumber()).isEqualTo(70001);
        assertThat(chunk.fsnOffset()).isEqualTo(4);
        assertThat(chunk.metadataOffset()).isEqualTo(UserDataChunk.ABSENT);
        assertThat(chunk.returnFlowId()).isEqualTo(2);
        assertThat(chunk.userDataLength()).isZero();
        assertThat(d.next()).isEqualTo(PacketDecoder.END);
    }

    @Test
    void handshakeChunks()
    {
        final UnsafeBuffer epd = bytes("1d0a72746d66703a2f2f3132372e302e302e313a32313933352f6c697665");
        final UnsafeBuffer tag = bytes("06df02723ccc7733162a2d460b1a3074");
        final UnsafeBuffer cookie = bytes("01bfc09a1f4c6dd96e1da7ec");
        final UnsafeBuffer cert = bytes("010a02151002150e021502");
        final UnsafeBuffer skic = bytes("021d10410ec4f9");
        final UnsafeBuffer sig = bytes("58");
        final UnsafeBuffer addresses = new UnsafeBuffer(new byte[64]);
        int addressesLength = Address.encodeIpv4(addresses, 0, 0x7f000001, 19350, Address.ORIGIN_RELAY);
        addressesLength += Address.encodeIpv6(addresses, addressesLength, bytes(
            "20010db8000000000000000000000001"), 0, 1935, Address.ORIGIN_REFLEXIVE);
        final int length = addressesLength;

        final PacketDecoder d = packet(PacketDecoder.MODE_STARTUP, () ->
        {
            final int limit = assembler.limit();
            final UnsafeBuffer o = out;
            assembler.commit(IHelloChunk.encode(o, assembler.position(), limit, epd, 0, 30, tag, 0, 16));
            assembler.commit(ForwardedIHelloChunk.encode(
                o, assembler.position(), limit, epd, 0, 30, addresses, 0, Address.IPV4_LENGTH, tag, 0, 16));
            assembler.commit(RHelloChunk.encode(
                o, assembler.position(), limit, tag, 0, 16, cookie, 0, 12, cert, 0, 11));
            assembler.commit(RedirectChunk.encode(o, assembler.position(), limit, tag, 0, 16, addresses, 0, length));
            assembler.commit(RedirectChunk.encode(o, assembler.position(), limit, tag, 0, 16, null, 0, 0));
            assembler.commit(RHelloCookieChangeChunk.encode(
                o, assembler.position(), limit, cookie, 0, 12, cookie, 2, 10));
            assembler.commit(IIKeyingChunk.encode(
                o, assembler.position(), limit, 0x02000000, cookie, 0, 12, cert, 0, 11, skic, 0, 7, sig, 0, 1));
            assembler.commit(RIKeyingChunk.encode(o, assembler.position(), limit, 0x03000000, skic, 0, 7, sig, 0, 1));
            assembler.commit(PacketFragmentChunk.encode(o, assembler.position(), limit, true, 9, 0, cert, 0, 11));
        });

        final IHelloChunk iHello = new IHelloChunk();
        assertThat(d.next()).isEqualTo(ChunkType.IHELLO);
        assertThat(iHello.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(hex(out, iHello.epdOffset(), iHello.epdLength())).isEqualTo(hex(epd, 0, 30));
        assertThat(hex(out, iHello.tagOffset(), iHello.tagLength())).isEqualTo(hex(tag, 0, 16));

        final ForwardedIHelloChunk fiHello = new ForwardedIHelloChunk();
        assertThat(d.next()).isEqualTo(ChunkType.FORWARDED_IHELLO);
        assertThat(fiHello.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(hex(out, fiHello.epdOffset(), fiHello.epdLength())).isEqualTo(hex(epd, 0, 30));
        assertThat(fiHello.replyAddressLength()).isEqualTo(Address.IPV4_LENGTH);
        assertThat(Address.isInet6(out, fiHello.replyAddressOffset())).isFalse();
        assertThat(Address.ipv4(out, fiHello.replyAddressOffset())).isEqualTo(0x7f000001);
        assertThat(Address.port(out, fiHello.replyAddressOffset())).isEqualTo(19350);
        assertThat(Address.origin(out, fiHello.replyAddressOffset())).isEqualTo(Address.ORIGIN_RELAY);
        assertThat(hex(out, fiHello.tagOffset(), fiHello.tagLength())).isEqualTo(hex(tag, 0, 16));

        final RHelloChunk rHello = new RHelloChunk();
        assertThat(d.next()).isEqualTo(ChunkType.RHELLO);
        assertThat(rHello.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(hex(out, rHello.tagEchoOffset(), rHello.tagEchoLength())).isEqualTo(hex(tag, 0, 16));
        assertThat(hex(out, rHello.cookieOffset(), rHello.cookieLength())).isEqualTo(hex(cookie, 0, 12));
        assertThat(hex(out, rHello.certificateOffset(), rHello.certificateLength())).isEqualTo(hex(cert, 0, 11));

        final RedirectChunk redirect = new RedirectChunk();
        assertThat(d.next()).isEqualTo(ChunkType.REDIRECT);
        assertThat(redirect.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(hex(out, redirect.tagEchoOffset(), redirect.tagEchoLength())).isEqualTo(hex(tag, 0, 16));
        assertThat(redirect.addressCount()).isEqualTo(2);
        assertThat(redirect.nextAddress()).isEqualTo(RedirectChunk.ADDRESS);
        assertThat(Address.ipv4(out, redirect.addressOffset())).isEqualTo(0x7f000001);
        assertThat(redirect.nextAddress()).isEqualTo(RedirectChunk.ADDRESS);
        final int v6 = redirect.addressOffset();
        assertThat(Address.isInet6(out, v6)).isTrue();
        assertThat(Address.ipLength(out, v6)).isEqualTo(16);
        assertThat(hex(out, v6 + Address.IP_OFFSET, 16)).isEqualTo("20010db8000000000000000000000001");
        assertThat(Address.port(out, v6)).isEqualTo(1935);
        assertThat(Address.origin(out, v6)).isEqualTo(Address.ORIGIN_REFLEXIVE);
        assertThat(redirect.nextAddress()).isEqualTo(RedirectChunk.END);

        assertThat(d.next()).isEqualTo(ChunkType.REDIRECT);
        assertThat(redirect.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(redirect.addressCount()).as("implied redirect").isZero();
        assertThat(redirect.nextAddress()).isEqualTo(RedirectChunk.END);

        final RHelloCookieChangeChunk change = new RHelloCookieChangeChunk();
        assertThat(d.next()).isEqualTo(ChunkType.RHELLO_COOKIE_CHANGE);
        assertThat(change.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(hex(out, change.oldCookieOffset(), change.oldCookieLength())).isEqualTo(hex(cookie, 0, 12));
        assertThat(hex(out, change.newCookieOffset(), change.newCookieLength())).isEqualTo(hex(cookie, 2, 10));

        final IIKeyingChunk ii = new IIKeyingChunk();
        assertThat(d.next()).isEqualTo(ChunkType.IIKEYING);
        assertThat(ii.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(ii.initiatorSessionId()).isEqualTo(0x02000000);
        assertThat(hex(out, ii.cookieOffset(), ii.cookieLength())).isEqualTo(hex(cookie, 0, 12));
        assertThat(hex(out, ii.certificateOffset(), ii.certificateLength())).isEqualTo(hex(cert, 0, 11));
        assertThat(hex(out, ii.skicOffset(), ii.skicLength())).isEqualTo(hex(skic, 0, 7));
        assertThat(hex(out, ii.signatureOffset(), ii.signatureLength())).isEqualTo("58");
        assertThat(ii.signedParametersOffset()).isEqualTo(d.payloadOffset());
        assertThat(ii.signedParametersLength()).isEqualTo(d.payloadLength() - 1);

        final RIKeyingChunk ri = new RIKeyingChunk();
        assertThat(d.next()).isEqualTo(ChunkType.RIKEYING);
        assertThat(ri.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(ri.responderSessionId()).isEqualTo(0x03000000);
        assertThat(hex(out, ri.skrcOffset(), ri.skrcLength())).isEqualTo(hex(skic, 0, 7));
        assertThat(hex(out, ri.signatureOffset(), ri.signatureLength())).isEqualTo("58");
        assertThat(ri.signedParametersLength()).isEqualTo(4 + 1 + 7);

        final PacketFragmentChunk fragment = new PacketFragmentChunk();
        assertThat(d.next()).isEqualTo(ChunkType.PACKET_FRAGMENT);
        assertThat(fragment.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(fragment.moreFragments()).isTrue();
        assertThat(fragment.packetId()).isEqualTo(9);
        assertThat(fragment.fragmentNumber()).isZero();
        assertThat(hex(out, fragment.fragmentOffset(), fragment.fragmentLength())).isEqualTo(hex(cert, 0, 11));

        assertThat(d.next()).isEqualTo(PacketDecoder.END);
        assertThat(d.paddingLength()).isZero();
    }

    @Test
    void sessionChunksAndPadding()
    {
        final PacketDecoder d = packet(PacketDecoder.MODE_RESPONDER, () ->
        {
            assertThat(assembler.appendPing(ChunkType.PING, text("ping!"), 0, 5)).isEqualTo(8);
            assertThat(assembler.appendPing(ChunkType.PING_REPLY, text("ping!"), 0, 5)).isEqualTo(8);
            assertThat(assembler.appendBufferProbe(200)).isEqualTo(5);
            assertThat(assembler.appendFlowExceptionReport(3, 1000)).isEqualTo(6);
            assertThat(assembler.appendSessionClose(ChunkType.SESSION_CLOSE_REQUEST)).isEqualTo(3);
            assertThat(assembler.appendSessionClose(ChunkType.SESSION_CLOSE_ACK)).isEqualTo(3);
            assertThat(assembler.appendChunk(ChunkType.PADDING_00, text("xx"), 0, 2)).isEqualTo(5);
            assertThat(assembler.appendChunk(ChunkType.PADDING_FF, null, 0, 0)).isEqualTo(3);
            assertThat(assembler.appendPadding(7)).isEqualTo(7);
            assertThat(assembler.chunkCount()).isEqualTo(8);
        });
        assertThat(hex(out, 3, 8)).isEqualTo("010005" + "70696e6721");
        assertThat(hex(out, 11, 8)).isEqualTo("410005" + "70696e6721");
        assertThat(hex(out, 19, 5)).isEqualTo("1800028148");
        assertThat(hex(out, 24, 6)).isEqualTo("5e0003" + "03" + "8768");

        assertThat(d.next()).isEqualTo(ChunkType.PING);
        assertThat(hex(out, d.payloadOffset(), d.payloadLength())).isEqualTo("70696e6721");
        assertThat(d.next()).isEqualTo(ChunkType.PING_REPLY);
        assertThat(hex(out, d.payloadOffset(), d.payloadLength())).isEqualTo("70696e6721");

        final FlowChunk flow = new FlowChunk();
        assertThat(d.next()).isEqualTo(ChunkType.BUFFER_PROBE);
        assertThat(flow.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(flow.flowId()).isEqualTo(200);
        assertThat(d.next()).isEqualTo(ChunkType.FLOW_EXCEPTION_REPORT);
        assertThat(flow.wrap(d)).isEqualTo(RtmfpError.OK);
        assertThat(flow.flowId()).isEqualTo(3);
        assertThat(flow.exception()).isEqualTo(1000);

        assertThat(d.next()).isEqualTo(ChunkType.SESSION_CLOSE_REQUEST);
        assertThat(d.payloadLength()).isZero();
        assertThat(d.next()).isEqualTo(ChunkType.SESSION_CLOSE_ACK);
        assertThat(d.next()).isEqualTo(ChunkType.PADDING_00);
        assertThat(d.next()).isEqualTo(ChunkType.PADDING_FF);
        assertThat(d.next()).isEqualTo(PacketDecoder.END);
        assertThat(d.paddingLength()).isEqualTo(7);
        assertThat(hex(out, d.paddingOffset(), 7)).isEqualTo("ffffffffffffff");
    }

    @Test
    void headerFlagsAndTimestampsRoundTrip()
    {
        for (int mode = 1; mode <= 3; mode++)
        {
            for (int bits = 0; bits < 16; bits++)
            {
                final boolean tc = (bits & 1) != 0;
                final boolean tcr = (bits & 2) != 0;
                final int ts = (bits & 4) != 0 ? 0xfedc : -1;
                final int tse = (bits & 8) != 0 ? 0x0102 : -1;
                assembler.wrap(out, 5, 64);
                final int length = assembler.begin(mode, tc, tcr, ts, tse);
                assertThat(length).isEqualTo(1 + (ts >= 0 ? 2 : 0) + (tse >= 0 ? 2 : 0));
                assertThat(decoder.wrap(out, 5, assembler.finish())).isEqualTo(RtmfpError.OK);
                assertThat(decoder.mode()).isEqualTo(mode);
                assertThat(decoder.timeCritical()).isEqualTo(tc);
                assertThat(decoder.timeCriticalReverse()).isEqualTo(tcr);
                assertThat(decoder.timestamp()).isEqualTo(ts);
                assertThat(decoder.timestampEcho()).isEqualTo(tse);
                assertThat(decoder.headerLength()).isEqualTo(length);
                assertThat(decoder.next()).isEqualTo(PacketDecoder.END);
            }
        }
        assembler.wrap(out, 0, 64).begin(PacketDecoder.MODE_INITIATOR, false, false, -1, -1);
        assembler.timeCritical(true);
        assertThat(out.getByte(0) & 0xFF).isEqualTo(PacketDecoder.FLAG_TC | PacketDecoder.MODE_INITIATOR);
    }

    @Test
    void scramblesShortPacketsAsIfZeroPadded()
    {
        final UnsafeBuffer datagram = bytes("00000000 a1b2c3");
        Multiplex.scramble(datagram, 0, 7, 0x01020304);
        assertThat(hex(datagram, 0, 4)).isEqualTo(String.format("%08x", 0x01020304 ^ 0xa1b2c300));
        assertThat(Multiplex.sessionId(datagram, 0, 7)).isEqualTo(0x01020304L);
        assertThat(Multiplex.sessionId(datagram, 0, 3)).isEqualTo(RtmfpError.TRUNCATED);
        final DirectBuffer four = bytes("deadbeef");
        assertThat(Multiplex.sessionId(four, 0, 4)).isEqualTo(0xdeadbeefL);
    }
}
