package io.flowcast.engine.virtualtime;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.DataAckBitmapChunk;
import io.flowcast.codec.rtmfp.DataAckRangesChunk;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.KeyLogDecryptor;
import io.flowcast.engine.transport.DatagramTap;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Captures every datagram of the harness's network with its virtual send and release times and its fate, and decodes
 * the session packets (decrypted with the endpoints' key log) into chunks: user data (flow, sequence number, FSN,
 * fragment control, abandon, final), acknowledgements (bitmap or ranges, cumulative ack, ranges, buffer blocks),
 * pings, ping replies, close request and acknowledgement. Nothing here looks inside the engine: it is what a capture
 * on the wire would show. Times are nanoseconds since the harness started.
 */
public final class WireTap implements DatagramTap
{
    /** One chunk of a decoded packet. */
    public record Chunk(
        int type,
        long flowId,
        long sequenceNumber,
        long forwardSequenceNumber,
        int fragmentControl,
        boolean abandon,
        boolean fin,
        int dataLength,
        long cumulativeAck,
        List<long[]> ranges,
        long bufferBlocksAvailable,
        int payloadLength,
        int error)
    {
        /** @return whether the chunk decoded (else {@link #error()} is the codec's {@code RtmfpError}). */
        public boolean valid()
        {
            return RtmfpError.OK == error;
        }

        /** @return the chunk type's name. */
        public String name()
        {
            return ChunkType.name(type);
        }

        /** @return whether this is an acknowledgement (bitmap or ranges). */
        public boolean isAck()
        {
            return ChunkType.DATA_ACK_BITMAP == type || ChunkType.DATA_ACK_RANGES == type;
        }

        /** @return whether this is user data (User Data or Next User Data). */
        public boolean isData()
        {
            return ChunkType.USER_DATA == type || ChunkType.NEXT_USER_DATA == type;
        }

        @Override
        public String toString()
        {
            if (!valid())
            {
                return name() + "{" + RtmfpError.name(error) + ", " + payloadLength + " B}";
            }
            if (isData())
            {
                return name() + "{flow=" + flowId + ", sn=" + sequenceNumber + ", fsn=" + forwardSequenceNumber +
                    ", fra=" + fragmentControl + (abandon ? ", ABN" : "") + (fin ? ", FIN" : "") + ", data=" +
                    dataLength + '}';
            }
            if (isAck())
            {
                final StringBuilder text = new StringBuilder(name()).append("{flow=").append(flowId)
                    .append(", cum=").append(cumulativeAck).append(", blocks=").append(bufferBlocksAvailable);
                for (final long[] range : ranges)
                {
                    text.append(", ").append(range[0]).append('-').append(range[1]);
                }
                return text.append('}').toString();
            }
            return name() + "{" + payloadLength + " B}";
        }
    }

    /** One datagram as seen on the wire. */
    public record Packet(
        long sendNs,
        long releaseNs,
        InetSocketAddress source,
        InetSocketAddress destination,
        int fate,
        int length,
        boolean startup,
        boolean decrypted,
        List<Chunk> chunks)
    {
        /** @return whether the network delivers it (the first copy or a duplicate). */
        public boolean delivered()
        {
            return QUEUED == fate || DUPLICATE == fate;
        }

        /**
         * @param type a chunk type.
         * @return whether the packet carries one.
         */
        public boolean has(final int type)
        {
            for (final Chunk chunk : chunks)
            {
                if (chunk.type() == type)
                {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String toString()
        {
            return String.format("%.3f ms %s -> %s %s %d B %s", sendNs / 1e6, source, destination,
                DatagramTap.fateName(fate), length, startup ? "startup" : chunks.toString());
        }
    }

    private record Captured(
        long sendNs, long releaseNs, InetSocketAddress source, InetSocketAddress destination, int fate,
        byte[] bytes)
    {
    }

    private final VirtualClock clock;
    private final Path keyLogPath;
    private final List<Captured> captured = new ArrayList<>();
    private final List<Packet> decoded = new ArrayList<>();
    private final PacketDecoder decoder = new PacketDecoder();
    private final UserDataChunk userData = new UserDataChunk();
    private final DataAckBitmapChunk bitmap = new DataAckBitmapChunk();
    private final DataAckRangesChunk rangesChunk = new DataAckRangesChunk();
    private KeyLogDecryptor decryptor;
    private long keyLogSize = -1;

    WireTap(final VirtualClock clock, final Path keyLogPath)
    {
        this.clock = clock;
        this.keyLogPath = keyLogPath;
    }

    @Override
    public void onDatagram(
        final long sendNs,
        final long releaseNs,
        final InetSocketAddress source,
        final InetSocketAddress destination,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int fate)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        captured.add(new Captured(sendNs - VirtualClock.START_NS,
            releaseNs < 0 ? -1 : releaseNs - VirtualClock.START_NS, source, destination, fate, bytes));
    }

    /** Forget what was captured so far. */
    public void clear()
    {
        captured.clear();
        decoded.clear();
    }

    /**
     * @return every datagram captured so far, decoded where the keys are known, in send order.
     */
    public List<Packet> packets()
    {
        for (int i = decoded.size(); i < captured.size(); i++)
        {
            decoded.add(decode(captured.get(i)));
        }
        return decoded;
    }

    /**
     * @param filter which packets.
     * @return the matching packets, in send order.
     */
    public List<Packet> packets(final Predicate<Packet> filter)
    {
        return packets().stream().filter(filter).toList();
    }

    /**
     * @param from source address of the packets (null: any).
     * @param type chunk type.
     * @return every chunk of that type sent from there, with its packet, in send order.
     */
    public List<Sent> chunks(final InetSocketAddress from, final int type)
    {
        final List<Sent> result = new ArrayList<>();
        for (final Packet packet : packets())
        {
            if (null != from && !from.equals(packet.source()))
            {
                continue;
            }
            for (final Chunk chunk : packet.chunks())
            {
                if (chunk.type() == type)
                {
                    result.add(new Sent(packet, chunk));
                }
            }
        }
        return result;
    }

    /**
     * @param from source address (null: any).
     * @return every acknowledgement chunk (bitmap or ranges) sent from there.
     */
    public List<Sent> acks(final InetSocketAddress from)
    {
        final List<Sent> result = new ArrayList<>(chunks(from, ChunkType.DATA_ACK_BITMAP));
        result.addAll(chunks(from, ChunkType.DATA_ACK_RANGES));
        result.sort((a, b) -> Long.compare(a.packet().sendNs(), b.packet().sendNs()));
        return result;
    }

    /**
     * @param from source address (null: any).
     * @return every user data chunk (User Data and Next User Data) sent from there.
     */
    public List<Sent> data(final InetSocketAddress from)
    {
        final List<Sent> result = new ArrayList<>();
        for (final Packet packet : packets())
        {
            if (null != from && !from.equals(packet.source()))
            {
                continue;
            }
            for (final Chunk chunk : packet.chunks())
            {
                if (chunk.isData())
                {
                    result.add(new Sent(packet, chunk));
                }
            }
        }
        return result;
    }

    /** A chunk with the packet that carried it. */
    public record Sent(Packet packet, Chunk chunk)
    {
        /** @return the packet's virtual send time, ns since the start. */
        public long sendNs()
        {
            return packet.sendNs();
        }

        @Override
        public String toString()
        {
            return String.format("%.3f ms %s %s", packet.sendNs() / 1e6, DatagramTap.fateName(packet.fate()), chunk);
        }
    }

    private Packet decode(final Captured datagram)
    {
        final byte[] bytes = datagram.bytes().clone();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final long sessionId = Multiplex.sessionId(buffer, 0, bytes.length);
        if (Multiplex.STARTUP_SESSION_ID == sessionId || sessionId < 0)
        {
            return packet(datagram, true, false, List.of());
        }
        int length = decryptor().decrypt(buffer, 0, bytes.length, DirectionKeys.DEFAULT_HMAC_LENGTH, true);
        if (length < 0)
        {
            length = decryptor().decrypt(buffer, 0, bytes.length); // another framing, or the default key
        }
        if (length < 0)
        {
            return packet(datagram, false, false, List.of());
        }
        if (RtmfpError.OK != decoder.wrap(buffer, decryptor.packetOffset(), length))
        {
            return packet(datagram, false, true, List.of());
        }
        final List<Chunk> chunks = new ArrayList<>();
        for (int type = decoder.next(); PacketDecoder.END != type; type = decoder.next())
        {
            chunks.add(chunk(type));
        }
        return packet(datagram, false, true, chunks);
    }

    private Chunk chunk(final int type)
    {
        final int payloadLength = decoder.payloadLength();
        final int dataRc = ChunkType.USER_DATA == type || ChunkType.NEXT_USER_DATA == type ? userData.wrap(decoder) :
            ChunkType.DATA_ACK_BITMAP == type ? bitmap.wrap(decoder) :
            ChunkType.DATA_ACK_RANGES == type ? rangesChunk.wrap(decoder) : RtmfpError.OK;
        if ((ChunkType.USER_DATA == type || ChunkType.NEXT_USER_DATA == type) && RtmfpError.OK == dataRc)
        {
            return new Chunk(type, userData.flowId(), userData.sequenceNumber(), userData.forwardSequenceNumber(),
                userData.fragmentControl(), userData.abandon(), userData.fin(), userData.userDataLength(), -1,
                List.of(), -1, payloadLength, RtmfpError.OK);
        }
        if (ChunkType.DATA_ACK_BITMAP == type && RtmfpError.OK == dataRc)
        {
            final List<long[]> ranges = new ArrayList<>();
            while (DataAckBitmapChunk.RANGE == bitmap.nextRange())
            {
                ranges.add(new long[] { bitmap.rangeFrom(), bitmap.rangeTo() });
            }
            return new Chunk(type, bitmap.flowId(), -1, -1, -1, false, false, -1, bitmap.cumulativeAck(), ranges,
                bitmap.bufferBlocksAvailable(), payloadLength, RtmfpError.OK);
        }
        if (ChunkType.DATA_ACK_RANGES == type && RtmfpError.OK == dataRc)
        {
            final List<long[]> ranges = new ArrayList<>();
            while (DataAckRangesChunk.RANGE == rangesChunk.nextRange())
            {
                ranges.add(new long[] { rangesChunk.rangeFrom(), rangesChunk.rangeTo() });
            }
            return new Chunk(type, rangesChunk.flowId(), -1, -1, -1, false, false, -1, rangesChunk.cumulativeAck(),
                ranges, rangesChunk.bufferBlocksAvailable(), payloadLength, RtmfpError.OK);
        }
        return new Chunk(type, -1, -1, -1, -1, false, false, -1, -1, List.of(), -1, payloadLength, dataRc);
    }

    private static Packet packet(
        final Captured datagram, final boolean startup, final boolean decrypted, final List<Chunk> chunks)
    {
        return new Packet(datagram.sendNs(), datagram.releaseNs(), datagram.source(), datagram.destination(),
            datagram.fate(), datagram.bytes().length, startup, decrypted, chunks);
    }

    private KeyLogDecryptor decryptor()
    {
        try
        {
            final long size = Files.size(keyLogPath);
            if (size != keyLogSize || null == decryptor)
            {
                try (Reader reader = Files.newBufferedReader(keyLogPath, StandardCharsets.US_ASCII))
                {
                    decryptor = new KeyLogDecryptor(KeyLog.parse(reader));
                }
                keyLogSize = size;
            }
            return decryptor;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final KeyLog.ParseException ex)
        {
            throw new IllegalStateException("key log " + keyLogPath, ex);
        }
    }

    /** @return the virtual clock. */
    VirtualClock clock()
    {
        return clock;
    }
}
