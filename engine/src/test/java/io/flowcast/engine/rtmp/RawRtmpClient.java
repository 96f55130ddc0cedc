package io.flowcast.engine.rtmp;

import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.rtmp.ChunkStreamEncoder;
import io.flowcast.codec.rtmp.MessageType;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A scripted RTMP client on a blocking socket for robustness tests: a plain handshake, hand-made chunks and commands,
 * and the choice never to read again.
 */
public final class RawRtmpClient implements AutoCloseable
{
    final Socket socket = new Socket();
    final InputStream in;
    final OutputStream out;
    private final ChunkStreamEncoder encoder = new ChunkStreamEncoder(8);
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(8192);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[4096]);
    private double txn = 1;

    /** A message received from the server. */
    public record Message(int chunkStreamId, int type, int timestamp, int streamId, byte[] payload)
    {
    }

    /** Messages read by {@link #readUntil}. */
    public final java.util.List<Message> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final io.flowcast.codec.rtmp.ChunkStreamDecoder decoder = new io.flowcast.codec.rtmp.ChunkStreamDecoder(
        (csid, type, timestamp, streamId, buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            received.add(new Message(csid, type, timestamp, streamId, bytes));
        });

    /**
     * Read and decode the server's chunk stream until the condition holds on what was received.
     *
     * @param condition on the messages so far.
     * @return true when it held before the socket timeout or the end of the stream.
     */
    public boolean readUntil(final java.util.function.Predicate<java.util.List<Message>> condition) throws IOException
    {
        final byte[] chunk = new byte[65536];
        final UnsafeBuffer view = new UnsafeBuffer(chunk);
        while (!condition.test(received))
        {
            final int n;
            try
            {
                n = in.read(chunk);
            }
            catch (final SocketTimeoutException ex)
            {
                return false;
            }
            if (n < 0 || decoder.onBytes(view, 0, n) < 0)
            {
                return condition.test(received);
            }
        }
        return true;
    }

    /** Use a larger outgoing chunk size (sends Set Chunk Size first). */
    public void chunkSize(final int size) throws IOException
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);
        io.flowcast.codec.rtmp.ProtocolControl.encodeU32(payload, 0, size);
        send(2, MessageType.SET_CHUNK_SIZE, 0, payload, 4);
        encoder.chunkSize(size);
    }

    /**
     * Announce any chunk size the specification allows (1 to 2^31-1), and chunk what we send at no more than our
     * encoder's largest: every message is shorter than 2^24, so each still goes in one chunk.
     */
    public void announceChunkSize(final int size) throws IOException
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);
        io.flowcast.codec.rtmp.ProtocolControl.encodeU32(payload, 0, size);
        send(2, MessageType.SET_CHUNK_SIZE, 0, payload, 4);
        encoder.chunkSize(Math.min(size, io.flowcast.codec.rtmp.ProtocolControl.MAX_CHUNK_SIZE));
    }

    /** Send one message with a timestamp. */
    public void send(final int chunkStreamId, final int type, final int timestamp, final int streamId,
        final UnsafeBuffer src, final int length) throws IOException
    {
        final int n = encoder.encode(scratch, 0, scratch.capacity(), chunkStreamId, type, timestamp, streamId, src, 0,
            length);
        final byte[] bytes = new byte[n];
        scratch.getBytes(0, bytes);
        raw(bytes);
    }

    public RawRtmpClient(final int port, final int receiveBufferBytes) throws IOException
    {
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void raw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** C0 C1, read S0 S1 S2, C2 (the simple handshake). */
    public void handshake() throws IOException
    {
        final byte[] c0c1 = new byte[1537];
        c0c1[0] = 3;
        raw(c0c1);
        final byte[] s0s1s2 = in.readNBytes(3073);
        if (3073 != s0s1s2.length || 3 != s0s1s2[0])
        {
            throw new IOException("bad S0/S1/S2");
        }
        final byte[] c2 = new byte[1536];
        System.arraycopy(s0s1s2, 1, c2, 0, 1536);
        raw(c2);
    }

    public Amf0Writer command(final String name)
    {
        return new Amf0Writer().wrap(payload, 0, payload.capacity()).string(name).number(txn++);
    }

    public void send(final int streamId, final int type, final Amf0Writer writer) throws IOException
    {
        send(3, type, streamId, payload, writer.position());
    }

    public void send(final int chunkStreamId, final int type, final int streamId, final UnsafeBuffer src, final int length)
        throws IOException
    {
        final int n = encoder.encode(scratch, 0, scratch.capacity(), chunkStreamId, type, 0, streamId, src, 0, length);
        final byte[] bytes = new byte[n];
        scratch.getBytes(0, bytes);
        raw(bytes);
    }

    /** connect to live, createStream, play NAME on stream 1, without reading any answer. */
    public void play(final String name) throws IOException
    {
        send(0, MessageType.COMMAND_AMF0, command("connect").objectBegin().key("app").string("live").objectEnd());
        send(0, MessageType.COMMAND_AMF0, command("createStream").nul());
        send(1, MessageType.COMMAND_AMF0, command("play").nul().string(name));
    }

    /**
     * @return true when the server closed the connection (EOF or reset) within the socket timeout.
     */
    public boolean closedByServer()
    {
        final byte[] sink = new byte[65536];
        try
        {
            while (true)
            {
                if (in.read(sink) < 0)
                {
                    return true;
                }
            }
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final IOException ex)
        {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
