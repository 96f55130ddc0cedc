package io.flowcast.codec.rtmp;

import io.flowcast.codec.amf.Allocations;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkStreamTest
{
    private static final int[] CHUNK_STREAM_IDS = { 2, 3, 4, 5, 63, 64, 319, 320, 65599 };

    record Message(int csid, int type, int timestamp, int streamId, byte[] payload)
    {
        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Message m && m.csid == csid && m.type == type && m.timestamp == timestamp &&
                m.streamId == streamId && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode()
        {
            return Arrays.hashCode(payload);
        }

        @Override
        public String toString()
        {
            return "Message[csid=" + csid + ", type=" + type + ", ts=" + timestamp + ", stream=" + streamId +
                ", length=" + payload.length + "]";
        }
    }

    private static final class Collector implements ChunkMessageHandler
    {
        final List<Message> messages = new ArrayList<>();

        @Override
        public void onMessage(
            final int csid, final int type, final int timestamp, final int streamId,
            final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] payload = new byte[length];
            buffer.getBytes(offset, payload);
            messages.add(new Message(csid, type, timestamp, streamId, payload));
        }
    }

    /**
     * Encode a random conversation (with chunk size changes announced in-band), then decode it from random slice
     * boundaries: the same messages come out, whatever the slicing.
     */
    @Test
    void decodesWhatTheEncoderWritesFromAnySlicing()
    {
        final Random random = new Random(0xC0FFEE);
        for (int round = 0; round < 30; round++)
        {
            final ChunkStreamEncoder encoder = new ChunkStreamEncoder(16);
            final List<Message> sent = new ArrayList<>();
            final UnsafeBuffer wire = new UnsafeBuffer(new byte[4 << 20]);
            int length = 0;
            final int[] clock = new int[CHUNK_STREAM_IDS.length];
            final boolean[] formats = new boolean[4];
            for (int i = 0; i < 200; i++)
            {
                if (random.nextInt(20) == 0)
                {
                    final int size = 1 + random.nextInt(random.nextBoolean() ? 300 : 70_000);
                    final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);
                    ProtocolControl.encodeU32(payload, 0, size);
                    length += encoder.encode(wire, length, wire.capacity() - length, 2, MessageType.SET_CHUNK_SIZE,
                        0, 0, payload, 0, 4);
                    sent.add(new Message(2, MessageType.SET_CHUNK_SIZE, 0, 0, payload.byteArray().clone()));
                    encoder.chunkSize(size);
                    continue;
                }
                final int pick = 1 + random.nextInt(CHUNK_STREAM_IDS.length - 1);
                final int csid = CHUNK_STREAM_IDS[pick];
                final int type = (random.nextInt(8) == 0) == (pick % 2 == 0) ? MessageType.VIDEO : MessageType.AUDIO;
                final int step = random.nextBoolean() ? 40 : switch (random.nextInt(6))
                {
                    case 0 -> 0;
                    case 1 -> 23;
                    case 2 -> 0x100_0000 + random.nextInt(1000); // forces an extended timestamp / delta
                    case 3 -> random.nextInt(100);
                    case 4 -> -random.nextInt(50); // backwards: type 0
                    default -> 40;
                };
                clock[pick] += step;
                final int streamId = random.nextInt(10) == 0 ? 2 : 1;
                final int size = switch (random.nextInt(4))
                {
                    case 0 -> random.nextInt(40_000);
                    case 1 -> random.nextInt(400);
                    default -> 100 * (1 + pick % 2); // repeated lengths: types 2 and 3
                };
                final byte[] bytes = new byte[size];
                random.nextBytes(bytes);
                final int written = encoder.encode(wire, length, wire.capacity() - length, csid, type, clock[pick],
                    streamId, new UnsafeBuffer(bytes), 0, size);
                assertThat(written).isPositive();
                assertThat(written).isLessThanOrEqualTo(encoder.maxEncodedLength(size));
                formats[encoder.lastFormat()] = true;
                length += written;
                sent.add(new Message(csid, type, clock[pick], streamId, bytes));
            }
            assertThat(formats).containsOnly(true);

            final Collector collector = new Collector();
            final ChunkStreamDecoder decoder = new ChunkStreamDecoder(collector, 1 << 20, 16);
            int position = 0;
            while (position < length)
            {
                final int n = Math.min(length - position,
                    random.nextInt(3) == 0 ? 1 + random.nextInt(4) : 1 + random.nextInt(20_000));
                assertThat(decoder.onBytes(wire, position, n)).isEqualTo(n);
                position += n;
            }
            assertThat(collector.messages).containsExactlyElementsOf(sent);
            assertThat(decoder.bytesReceived()).isEqualTo(length);
        }
    }

    @Test
    void decodesHandWrittenHeaderCompression()
    {
        // §6.2.1-like: csid 3, type 0 (ts 1000, len 4, type 8, stream 1), type 2 (delta 20), type 3 (delta 20 again)
        final String hex =
            "03" + "0003e8" + "000004" + "08" + "01000000" + "aabbccdd" +
            "c3" + "11223344" +             // type 3 after type 0: delta = the type 0 timestamp (§6.1.2.4)
            "c3" + "55667788" +
            "43" + "000014" + "000002" + "09" + "0102" +  // type 1: delta 20, len 2, type 9
            "c3" + "0304" +                 // type 3: delta 20 again
            "c3" + "0506";
        final Collector collector = new Collector();
        final ChunkStreamDecoder decoder = new ChunkStreamDecoder(collector);
        final byte[] bytes = GoldenSession.hex(hex);
        assertThat(decoder.onBytes(new UnsafeBuffer(bytes), 0, bytes.length)).isEqualTo(bytes.length);
        assertThat(collector.messages).extracting(Message::timestamp).containsExactly(1000, 2000, 3000, 3020, 3040, 3060);
        assertThat(collector.messages).extracting(Message::type).containsExactly(8, 8, 8, 9, 9, 9);
        assertThat(collector.messages).extracting(Message::streamId).containsOnly(1);
    }

    @Test
    void extendedTimestampIsRepeatedInType3Chunks()
    {
        final ChunkStreamEncoder encoder = new ChunkStreamEncoder(4);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[200]);
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[512]);
        final int length = encoder.encode(wire, 0, wire.capacity(), 6, MessageType.VIDEO, 0x0123_4567, 1,
            payload, 0, 200);
        // 1 + 11 + 4 + 128 + (1 + 4) + 72
        assertThat(length).isEqualTo(221);
        assertThat(ChunkHeader.u24(wire, 1)).isEqualTo(0xFF_FFFF);
        assertThat(wire.getInt(12, java.nio.ByteOrder.BIG_ENDIAN)).isEqualTo(0x0123_4567);
        assertThat(wire.getByte(16 + 128)).isEqualTo((byte)0xC6);
        assertThat(wire.getInt(16 + 129, java.nio.ByteOrder.BIG_ENDIAN)).isEqualTo(0x0123_4567);

        final Collector collector = new Collector();
        new ChunkStreamDecoder(collector).onBytes(wire, 0, length);
        assertThat(collector.messages).hasSize(1);
        assertThat(collector.messages.get(0).timestamp()).isEqualTo(0x0123_4567);
    }

    @Test
    void toleratesPeersThatOmitTheExtendedTimestampInType3Chunks()
    {
        final byte[] payload = new byte[200];
        for (int i = 0; i < payload.length; i++)
        {
            payload[i] = (byte)(i + 1);
        }
        final String first = "04" + "ffffff" + "0000c8" + "09" + "01000000" + "01000000" +
            GoldenSession.hex(Arrays.copyOfRange(payload, 0, 128));
        final String rest = GoldenSession.hex(Arrays.copyOfRange(payload, 128, 200));
        for (final String second : new String[] { "c4" + "01000000" + rest, "c4" + rest })
        {
            final Collector collector = new Collector();
            final byte[] bytes = GoldenSession.hex(first + second);
            final ChunkStreamDecoder decoder = new ChunkStreamDecoder(collector);
            for (int p = 0; p < bytes.length; p += 3)
            {
                assertThat(decoder.onBytes(new UnsafeBuffer(bytes), p, Math.min(3, bytes.length - p))).isPositive();
            }
            assertThat(collector.messages).containsExactly(
                new Message(4, MessageType.VIDEO, 0x0100_0000, 1, payload));
        }
    }

    @Test
    void chunkStreamIdsUseTheSmallestBasicHeader()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[3]);
        for (final int csid : CHUNK_STREAM_IDS)
        {
            final int n = ChunkHeader.encodeBasicHeader(b, 0, 3, csid);
            assertThat(n).isEqualTo(ChunkHeader.basicHeaderLengthFor(csid));
            assertThat(ChunkHeader.basicHeaderLength(b.getByte(0))).isEqualTo(n);
            assertThat(ChunkHeader.chunkStreamId(b, 0)).isEqualTo(csid);
            assertThat((b.getByte(0) & 0xFF) >>> 6).isEqualTo(3);
        }
        ChunkHeader.encodeBasicHeader(b, 0, 0, 65599);
        assertThat(GoldenSession.hex(b.byteArray())).isEqualTo("01ffff");
        ChunkHeader.encodeBasicHeader(b, 0, 1, 319);
        assertThat(GoldenSession.hex(Arrays.copyOf(b.byteArray(), 2))).isEqualTo("40ff");
    }

    @Test
    void abortDiscardsAPartialMessage()
    {
        final ChunkStreamEncoder encoder = new ChunkStreamEncoder(4);
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[300]);
        final int full = encoder.encode(wire, 0, wire.capacity(), 4, MessageType.VIDEO, 10, 1, payload, 0, 300);
        final int partial = 1 + 11 + 128; // first chunk only
        final UnsafeBuffer abort = new UnsafeBuffer(new byte[4]);
        ProtocolControl.encodeU32(abort, 0, 4);
        final ChunkStreamEncoder control = new ChunkStreamEncoder(1);
        final UnsafeBuffer stream = new UnsafeBuffer(new byte[8192]);
        int length = 0;
        stream.putBytes(0, wire, 0, partial);
        length += partial;
        length += control.encode(stream, length, 1024, 2, MessageType.ABORT, 0, 0, abort, 0, 4);
        final ChunkStreamEncoder fresh = new ChunkStreamEncoder(4);
        length += fresh.encode(stream, length, 4096, 4, MessageType.AUDIO, 20, 1, payload, 0, 10);

        final Collector collector = new Collector();
        final ChunkStreamDecoder decoder = new ChunkStreamDecoder(collector);
        assertThat(decoder.onBytes(stream, 0, length)).isEqualTo(length);
        assertThat(collector.messages).extracting(Message::type).containsExactly(MessageType.ABORT, MessageType.AUDIO);
        assertThat(full).isGreaterThan(partial);
    }

    @Test
    void limitsAndProtocolViolationsAreErrors()
    {
        final Collector collector = new Collector();
        // type 1 on a fresh chunk stream
        assertThat(decode(new ChunkStreamDecoder(collector), "43000014000002090102"))
            .isEqualTo(ChunkStreamDecoder.ERROR_NO_PREVIOUS_HEADER);
        // type 3 on a fresh chunk stream
        assertThat(decode(new ChunkStreamDecoder(collector), "c3")).isEqualTo(ChunkStreamDecoder.ERROR_NO_PREVIOUS_HEADER);
        // message longer than the bound
        assertThat(decode(new ChunkStreamDecoder(collector, 1000, 4), "03000000" + "0003e9" + "0801000000"))
            .isEqualTo(ChunkStreamDecoder.ERROR_MESSAGE_TOO_LARGE);
        // Set Chunk Size 0
        final ChunkStreamDecoder zero = new ChunkStreamDecoder(collector);
        assertThat(decode(zero, "02000000000004010000000000000000")).isEqualTo(ChunkStreamDecoder.ERROR_CHUNK_SIZE);
        assertThat(decode(zero, "02")).isEqualTo(ChunkStreamDecoder.ERROR_FAILED);
        // Set Chunk Size 0x7FFFFFFF (§5.4.1 allows 31 bits): accepted; a 300-byte message then comes in one chunk
        final ChunkStreamDecoder huge = new ChunkStreamDecoder(collector);
        assertThat(decode(huge, "0200000000000401000000007fffffff")).isGreaterThan(0);
        assertThat(huge.chunkSize()).isEqualTo(0x7FFF_FFFF);
        final StringBuilder body = new StringBuilder("03000000" + "00012c" + "08" + "01000000");
        for (int i = 0; i < 300; i++)
        {
            body.append("ab");
        }
        final int before = collector.messages.size();
        assertThat(decode(huge, body.toString())).isGreaterThan(0);
        assertThat(collector.messages).hasSize(before + 1);
        // too many chunk streams
        final ChunkStreamDecoder two = new ChunkStreamDecoder(collector, 1000, 2);
        assertThat(decode(two, "030000000000000801000000" + "040000000000000801000000" + "0500000000000008010000" + "00"))
            .isEqualTo(ChunkStreamDecoder.ERROR_TOO_MANY_CHUNK_STREAMS);
        // new header while a message is incomplete
        assertThat(decode(new ChunkStreamDecoder(collector), "030000000000c808010000000" + "0".repeat(255) + "030000000000c80801000000"))
            .isEqualTo(ChunkStreamDecoder.ERROR_INTERRUPTED_MESSAGE);
        // a valid Set Chunk Size applies to the next chunk
        final ChunkStreamDecoder big = new ChunkStreamDecoder(collector);
        assertThat(decode(big, "020000000000040100000000" + "00001000")).isEqualTo(16);
        assertThat(big.chunkSize()).isEqualTo(4096);
    }

    private static int decode(final ChunkStreamDecoder decoder, final String hex)
    {
        final byte[] bytes = GoldenSession.hex(hex);
        return decoder.onBytes(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    @Test
    void garbageYieldsErrorsNotExceptions()
    {
        final Random random = new Random(42);
        final ChunkStreamEncoder encoder = new ChunkStreamEncoder(8);
        final UnsafeBuffer valid = new UnsafeBuffer(new byte[64 * 1024]);
        int validLength = 0;
        for (int i = 0; i < 40; i++)
        {
            final byte[] bytes = new byte[random.nextInt(600)];
            validLength += encoder.encode(valid, validLength, valid.capacity() - validLength,
                3 + random.nextInt(3), 9, i * 33, 1, new UnsafeBuffer(bytes), 0, bytes.length);
        }
        final byte[] original = Arrays.copyOf(valid.byteArray(), validLength);
        int errors = 0;
        for (int round = 0; round < 2000; round++)
        {
            final byte[] bytes;
            if (round % 2 == 0)
            {
                bytes = new byte[1 + random.nextInt(4000)];
                random.nextBytes(bytes);
            }
            else
            {
                bytes = original.clone();
                for (int f = 0; f < 1 + random.nextInt(8); f++)
                {
                    bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
                }
            }
            final ChunkStreamDecoder decoder = new ChunkStreamDecoder((c, t, ts, s, b, o, l) -> { }, 64 * 1024, 8);
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            int position = 0;
            int result = 0;
            while (position < bytes.length && result >= 0)
            {
                final int n = Math.min(bytes.length - position, 1 + random.nextInt(700));
                result = decoder.onBytes(buffer, position, n);
                position += n;
            }
            errors += result < 0 ? 1 : 0;
        }
        assertThat(errors).isPositive();
    }

    @Test
    void steadyStateDecodeOf64KbVideoAllocatesNothing()
    {
        final ChunkStreamEncoder encoder = new ChunkStreamEncoder(4);
        encoder.chunkSize(4096);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64 * 1024]);
        final UnsafeBuffer wire = new UnsafeBuffer(new byte[encoder.maxEncodedLength(payload.capacity()) * 8]);
        int length = 0;
        for (int i = 0; i < 8; i++)
        {
            length += encoder.encode(wire, length, wire.capacity() - length, 6, MessageType.VIDEO, i * 40, 1,
                payload, 0, payload.capacity());
        }
        final int total = length;
        final long[] delivered = new long[1];
        final ChunkStreamDecoder decoder = new ChunkStreamDecoder((c, t, ts, s, b, o, l) -> delivered[0] += l);
        final UnsafeBuffer setChunkSize = new UnsafeBuffer(GoldenSession.hex("020000000000040100000000" + "00001000"));
        decoder.onBytes(setChunkSize, 0, setChunkSize.capacity());
        delivered[0] = 0;
        final long allocated = Allocations.measure(() ->
        {
            for (int r = 0; r < 20; r++)
            {
                for (int p = 0; p < total; p += 1460)
                {
                    decoder.onBytes(wire, p, Math.min(1460, total - p));
                }
            }
        });
        assertThat(allocated).isLessThan(1024);
        assertThat(delivered[0]).isEqualTo(2L * 20 * 8 * 64 * 1024);
    }

    @Test
    void controlMessagePayloads()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
        assertThat(ProtocolControl.encodeU32(b, 0, 0x8000_1000L)).isEqualTo(4);
        assertThat(ProtocolControl.chunkSize(b, 0, 4)).isEqualTo(0x1000); // top bit ignored
        assertThat(ProtocolControl.chunkSize(b, 0, 3)).isEqualTo(ProtocolControl.ERROR_TRUNCATED);
        assertThat(ProtocolControl.u32(b, 0, 4)).isEqualTo(0x8000_1000L);
        ProtocolControl.encodeU32(b, 0, 0x0100_0000); // 2^24, as a relay in its simple mode sets
        assertThat(ProtocolControl.chunkSize(b, 0, 4)).isEqualTo(0x0100_0000);
        ProtocolControl.encodeU32(b, 0, 0x7FFF_FFFF);
        assertThat(ProtocolControl.chunkSize(b, 0, 4)).isEqualTo(ProtocolControl.MAX_PEER_CHUNK_SIZE);
        ProtocolControl.encodeU32(b, 0, 0x8000_0000L); // top bit ignored: 0
        assertThat(ProtocolControl.chunkSize(b, 0, 4)).isEqualTo(ProtocolControl.ERROR_CHUNK_SIZE);
        assertThat(ProtocolControl.encodeSetPeerBandwidth(b, 0, 2_500_000, ProtocolControl.LIMIT_DYNAMIC)).isEqualTo(5);
        assertThat(GoldenSession.hex(Arrays.copyOf(b.byteArray(), 5))).isEqualTo("002625a002");
        assertThat(ProtocolControl.peerBandwidthLimitType(b, 0, 5)).isEqualTo(2);

        final UserControl uc = new UserControl();
        assertThat(UserControl.encode(b, 0, UserControl.STREAM_BEGIN, 1)).isEqualTo(6);
        assertThat(GoldenSession.hex(Arrays.copyOf(b.byteArray(), 6))).isEqualTo("000000000001");
        assertThat(uc.wrap(b, 0, 6)).isEqualTo(UserControl.STREAM_BEGIN);
        assertThat(uc.first()).isEqualTo(1);
        assertThat(uc.wrap(b, 0, 5)).isEqualTo(UserControl.ERROR_TRUNCATED);
        assertThat(UserControl.encode(b, 0, UserControl.SET_KEEPALIVE_TIMERS, 15000, 10000)).isEqualTo(10);
        assertThat(GoldenSession.hex(Arrays.copyOf(b.byteArray(), 10))).isEqualTo("002900003a9800002710");
        assertThat(uc.wrap(b, 0, 10)).isEqualTo(UserControl.SET_KEEPALIVE_TIMERS);
        assertThat(uc.second()).isEqualTo(10000);
        assertThat(uc.wrap(b, 0, 9)).isEqualTo(UserControl.ERROR_TRUNCATED);
        UserControl.encode(b, 0, UserControl.PING_REQUEST, 0xFFFF_FFFFL);
        assertThat(uc.wrap(b, 0, 6)).isEqualTo(UserControl.PING_REQUEST);
        assertThat(uc.first()).isEqualTo(0xFFFF_FFFFL);
    }
}
