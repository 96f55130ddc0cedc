package io.flowcast.codec.rtmfp;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded random and mutated packets through the whole decode path ({@link PacketVisitor}: every chunk type's
 * flyweight, options, ranges, bitmaps, addresses). Each input sits at the end of an exact-size array wrapped by an
 * {@link UnsafeBuffer} with Agrona's bounds checks on (the default), so a read past the packet throws; any throwable
 * fails the test with the seed, the iteration and the input. The decoder must only ever return codes.
 */
class FuzzTest
{
    private static final long SEED = 0x7016_7425L;
    private static final int ITERATIONS = 300_000;
    private static final byte[] INTERESTING = { 0x00, (byte)0xff, (byte)0x80, 0x7f, (byte)0x81, 0x01, 0x10, 0x11 };

    @Test
    void randomAndMutatedPacketsOnlyYieldCodes()
    {
        final List<byte[]> corpus = corpus();
        final SplittableRandom random = new SplittableRandom(SEED);
        final PacketVisitor visitor = new PacketVisitor();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
        long checksum = 0;
        long valid = 0;

        for (int iteration = 0; iteration < ITERATIONS; iteration++)
        {
            final byte[] packet = (iteration & 7) == 0 ? randomPacket(random) : mutate(corpus, random);
            final int offset = random.nextInt(4);
            final byte[] exact = new byte[offset + packet.length];
            System.arraycopy(packet, 0, exact, offset, packet.length);
            buffer.wrap(exact);
            try
            {
                final long errorsBefore = visitor.errors;
                checksum += visitor.visit(buffer, offset, packet.length);
                valid += visitor.errors == errorsBefore ? 1 : 0;
            }
            catch (final Throwable t)
            {
                fail("seed " + SEED + " iteration " + iteration + " offset " + offset + " input " +
                    GoldenSession.hex(packet), t);
            }
        }
        // the fuzz must exercise both paths: plenty of clean decodes and plenty of error codes
        assertThat(valid).as("clean decodes").isGreaterThan(ITERATIONS / 10);
        assertThat(visitor.errors).as("error codes").isGreaterThan(ITERATIONS / 10);
        assertThat(visitor.chunks).as("chunks visited").isGreaterThan(ITERATIONS);
        assertThat(checksum).isNotZero();
    }

    private static byte[] randomPacket(final SplittableRandom random)
    {
        final byte[] packet = new byte[random.nextInt(64)];
        for (int i = 0; i < packet.length; i++)
        {
            packet[i] = random.nextInt(4) == 0 ?
                INTERESTING[random.nextInt(INTERESTING.length)] : (byte)random.nextInt();
        }
        return packet;
    }

    private static byte[] mutate(final List<byte[]> corpus, final SplittableRandom random)
    {
        // a quarter of the time the synthesized packet with every chunk type, else a golden datagram
        final int pick = random.nextInt(4) == 0 ? corpus.size() - 1 : random.nextInt(corpus.size());
        byte[] packet = corpus.get(pick).clone();
        final int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && packet.length > 0; m++)
        {
            final int at = random.nextInt(packet.length);
            switch (random.nextInt(6))
            {
                case 0:
                    packet[at] ^= (byte)(1 << random.nextInt(8));
                    break;
                case 1:
                    packet[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    break;
                case 2:
                    packet = java.util.Arrays.copyOf(packet, at); // truncate
                    break;
                case 3:
                {
                    // a run of continuation bytes: VLUs that run long, past their field or over 64 bits
                    final int run = 1 + random.nextInt(12);
                    for (int i = at; i < Math.min(packet.length, at + run); i++)
                    {
                        packet[i] = (byte)(0x80 | random.nextInt(0x80));
                    }
                    break;
                }
                case 4:
                    // chunk or field length bytes that lie
                    packet[at] = (byte)random.nextInt();
                    if (at + 1 < packet.length)
                    {
                        packet[at + 1] = (byte)random.nextInt();
                    }
                    break;
                default:
                    packet[at] = (byte)random.nextInt();
                    break;
            }
        }
        return packet;
    }

    private static List<byte[]> corpus()
    {
        final List<byte[]> corpus = new ArrayList<>();
        for (final JsonNode datagram : GoldenSession.datagrams())
        {
            corpus.add(GoldenSession.hex(datagram.get("plain_hex").asText()));
        }
        corpus.add(everyChunkType());
        return corpus;
    }

    /** One packet with every chunk type the golden session lacks. */
    private static byte[] everyChunkType()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 64; i++)
        {
            bytes.putByte(i, (byte)(i * 7 + 1));
        }
        final UnsafeBuffer addresses = new UnsafeBuffer(new byte[32]);
        int addressesLength = Address.encodeIpv4(addresses, 0, 0x7f000001, 1935, Address.ORIGIN_LOCAL);
        addressesLength += Address.encodeIpv6(addresses, addressesLength, bytes, 0, 1935, Address.ORIGIN_RELAY);

        final PacketAssembler a = new PacketAssembler().wrap(out, 0, out.capacity());
        a.begin(PacketDecoder.MODE_RESPONDER, true, true, 100, 200);
        a.commit(IHelloChunk.encode(out, a.position(), a.limit(), bytes, 0, 5, bytes, 5, 4));
        a.commit(ForwardedIHelloChunk.encode(out, a.position(), a.limit(), bytes, 0, 3, addresses, 7, 19, bytes, 0, 4));
        a.commit(RHelloChunk.encode(out, a.position(), a.limit(), bytes, 0, 4, bytes, 4, 6, bytes, 0, 7));
        a.commit(RedirectChunk.encode(out, a.position(), a.limit(), bytes, 0, 4, addresses, 0, addressesLength));
        a.commit(RHelloCookieChangeChunk.encode(out, a.position(), a.limit(), bytes, 0, 3, bytes, 3, 3));
        a.commit(IIKeyingChunk.encode(
            out, a.position(), a.limit(), 7, bytes, 0, 3, bytes, 0, 4, bytes, 0, 5, bytes, 0, 1));
        a.commit(RIKeyingChunk.encode(out, a.position(), a.limit(), 7, bytes, 0, 6, bytes, 0, 1));
        a.commit(PacketFragmentChunk.encode(out, a.position(), a.limit(), false, 3, 1, bytes, 0, 5));
        a.appendPing(ChunkType.PING, bytes, 0, 3);
        a.appendPing(ChunkType.PING_REPLY, bytes, 0, 3);
        a.appendDataAckBitmap(3, 10, 20, bytes, 0, 3);
        a.appendDataAckRanges(3, 10, 20, new long[]{ 22, 25, 30, 30 }, 2);
        a.appendBufferProbe(3);
        a.appendFlowExceptionReport(3, 9);
        a.appendUserData(0x10, 3, 40, 2, bytes, 0, 4, 2, bytes, 0, 6);
        a.appendUserData(0x30, 3, 41, 3, null, 0, 0, -1, bytes, 0, 6);
        a.appendUserData(0x20, 3, 42, 4, null, 0, 0, -1, bytes, 0, 6);
        a.appendSessionClose(ChunkType.SESSION_CLOSE_REQUEST);
        a.appendSessionClose(ChunkType.SESSION_CLOSE_ACK);
        a.appendPadding(5);
        final byte[] packet = new byte[a.finish()];
        out.getBytes(0, packet);
        return packet;
    }
}
