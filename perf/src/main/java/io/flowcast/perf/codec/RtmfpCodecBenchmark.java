package io.flowcast.perf.codec;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.DataAckRangesChunk;
import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.codec.rtmfp.UserDataChunk;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Decode and encode of a typical 1,200-byte RTMFP data packet (RFC 7016 §2.2.4): timestamp and echo, a Data Ack
 * Ranges chunk with two ranges for the reverse flow, and eight User Data fragments of one message (begin, six
 * middles, end) of one flow, the first as User Data and the seven others as Next User Data, as a sender batching
 * consecutive fragments does. Decode reads every header, ack and user data field and consumes them into the Blackhole
 * (folded into one value per chunk, so the Blackhole's own cost does not swamp the codec's).
 * <pre>
 *   java $(cat engine/target/jvm.options) -jar perf/target/benchmarks.jar RtmfpCodecBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RtmfpCodecBenchmark
{
    /** Size of the benchmark packet. */
    public static final int PACKET_LENGTH = 1200;
    private static final int FRAGMENTS = 8;
    private static final long FLOW_ID = 5;
    private static final long FIRST_SEQUENCE = 1_000;
    private static final long[] ACK_RANGES = { 70_003, 70_010, 70_012, 70_012 };

    private final UnsafeBuffer packet = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final UnsafeBuffer encodeBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final UnsafeBuffer media = new UnsafeBuffer(BufferUtil.allocateDirectAligned(2048, 64));
    private final int[] fragmentLengths = new int[FRAGMENTS];
    private final PacketDecoder decoder = new PacketDecoder();
    private final UserDataChunk userData = new UserDataChunk();
    private final DataAckRangesChunk ack = new DataAckRangesChunk();
    private final PacketAssembler assembler = new PacketAssembler();
    private int packetLength;

    /**
     * Build the packet once with the assembler and check it decodes as intended.
     */
    @Setup
    public void setup()
    {
        for (int i = 0; i < media.capacity(); i++)
        {
            media.putByte(i, (byte)(i * 31 + 7));
        }
        // size the fragments so the packet is exactly PACKET_LENGTH bytes: first measure it with empty fragments
        final int overhead = encode(packet);
        final int each = (PACKET_LENGTH - overhead) / FRAGMENTS;
        for (int i = 0; i < FRAGMENTS; i++)
        {
            fragmentLengths[i] = each;
        }
        fragmentLengths[FRAGMENTS - 1] += PACKET_LENGTH - overhead - each * FRAGMENTS;

        packetLength = encode(packet);
        if (packetLength != PACKET_LENGTH)
        {
            throw new IllegalStateException("packet is " + packetLength + " bytes");
        }
        int userDataChunks = 0;
        int nextUserDataChunks = 0;
        decoder.wrap(packet, 0, packetLength);
        int type;
        while ((type = decoder.next()) != PacketDecoder.END)
        {
            if (type == ChunkType.USER_DATA || type == ChunkType.NEXT_USER_DATA)
            {
                if (userData.wrap(decoder) != RtmfpError.OK ||
                    userData.sequenceNumber() != FIRST_SEQUENCE + userDataChunks + nextUserDataChunks)
                {
                    throw new IllegalStateException("bad user data chunk");
                }
                userDataChunks += type == ChunkType.USER_DATA ? 1 : 0;
                nextUserDataChunks += type == ChunkType.NEXT_USER_DATA ? 1 : 0;
            }
        }
        if (userDataChunks != 1 || nextUserDataChunks != FRAGMENTS - 1 || decoder.paddingLength() != 0)
        {
            throw new IllegalStateException("unexpected packet layout");
        }
    }

    private int encode(final UnsafeBuffer buffer)
    {
        final PacketAssembler assembler = this.assembler.wrap(buffer, 0, PACKET_LENGTH);
        assembler.begin(PacketDecoder.MODE_INITIATOR, true, false, 0x1234, 0x0567);
        assembler.appendDataAckRanges(2, 16_383, 70_001, ACK_RANGES, 2);
        int offset = 0;
        for (int i = 0; i < FRAGMENTS; i++)
        {
            final int fra = i == 0 ? UserDataChunk.FRAGMENT_BEGIN :
                i == FRAGMENTS - 1 ? UserDataChunk.FRAGMENT_END : UserDataChunk.FRAGMENT_MIDDLE;
            final long sequenceNumber = FIRST_SEQUENCE + i;
            assembler.appendUserData(
                fra << UserDataChunk.FRA_SHIFT, FLOW_ID, sequenceNumber, sequenceNumber - 990,
                null, 0, 0, -1, media, offset, fragmentLengths[i]);
            offset += fragmentLengths[i];
        }
        return assembler.finish();
    }

    /**
     * @return the packet length (the packet stays in the buffer).
     */
    @Benchmark
    public int encodePacket()
    {
        return encode(encodeBuffer);
    }

    /**
     * @param bh consumes every decoded field.
     * @return the number of chunks.
     */
    @Benchmark
    public int decodePacket(final Blackhole bh)
    {
        final PacketDecoder decoder = this.decoder;
        if (decoder.wrap(packet, 0, packetLength) < 0)
        {
            return -1;
        }
        bh.consume(decoder.flags() + 7L * decoder.mode() + (decoder.timeCritical() ? 1L << 40 : 0) +
            ((long)decoder.timestamp() << 16) + ((long)decoder.timestampEcho() << 32));
        int chunks = 0;
        int type;
        while ((type = decoder.next()) != PacketDecoder.END)
        {
            chunks++;
            switch (type)
            {
                case ChunkType.USER_DATA:
                case ChunkType.NEXT_USER_DATA:
                {
                    final UserDataChunk userData = this.userData;
                    if (userData.wrap(decoder) == RtmfpError.OK)
                    {
                        // every field, folded so one consume per chunk keeps them all live
                        bh.consume(userData.flags() + 31L * userData.fragmentControl() +
                            (userData.abandon() ? 1L << 40 : 0) + (userData.fin() ? 1L << 41 : 0) +
                            (userData.optionsPresent() ? 1L << 42 : 0) + (userData.isImplied() ? 1L << 43 : 0) +
                            userData.flowId() * 17 + userData.sequenceNumber() * 13 + userData.fsnOffset() * 11 +
                            userData.forwardSequenceNumber() * 7 + userData.metadataOffset() * 5L +
                            userData.metadataLength() + userData.returnFlowId() * 3 +
                            userData.userDataOffset() * 19L + userData.userDataLength());
                    }
                    break;
                }
                case ChunkType.DATA_ACK_RANGES:
                {
                    final DataAckRangesChunk ack = this.ack;
                    if (ack.wrap(decoder) == RtmfpError.OK)
                    {
                        long fields = ack.flowId() * 17 + ack.bufferBlocksAvailable() * 13 + ack.cumulativeAck();
                        while (ack.nextRange() == DataAckRangesChunk.RANGE)
                        {
                            fields = fields * 31 + ack.rangeFrom() * 7 + ack.rangeTo();
                        }
                        bh.consume(fields);
                    }
                    break;
                }
                default:
                    bh.consume(decoder.payloadLength());
                    break;
            }
        }
        bh.consume(decoder.paddingLength());
        return chunks;
    }
}
