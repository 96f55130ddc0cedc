package io.flowcast.engine.rtmp;

import io.flowcast.codec.rtmp.ChunkMessageHandler;
import io.flowcast.codec.rtmp.ChunkStreamDecoder;
import io.flowcast.codec.rtmp.ChunkStreamEncoder;
import io.flowcast.codec.rtmp.Handshake;
import io.flowcast.codec.rtmp.HandshakeDigest;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.codec.rtmp.ProtocolControl;
import io.flowcast.codec.rtmp.UserControl;
import io.flowcast.engine.media.MessageChannel;
import io.flowcast.engine.media.NetConnection;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One RTMP connection: the handshake (rtmp-1.0.txt §5.2, plus the digest variant, {@link HandshakeDigest}), then the
 * chunk stream both ways (§5.3, §6: {@link ChunkStreamDecoder} in, {@link ChunkStreamEncoder} out), protocol control
 * (§5.4: Set Chunk Size, Abort, Acknowledgement, Window Acknowledgement Size, Set Peer Bandwidth) and User Control
 * (Stream Begin/EOF, Ping) here; everything else goes to its {@link NetConnection}.
 * <p>
 * Output: one bounded buffer per connection ({@code outputBufferBytes}) into which messages are chunk-encoded
 * straight from the publisher's buffer; {@link #send} refuses what does not fit, and the player policy drops the rest
 * of the GOP. The age of the oldest unsent byte is tracked by a small ring of time marks, for
 * {@link #backlogNs}. Owned by the listener's agent thread.
 */
final class RtmpConnection implements MessageChannel, ChunkMessageHandler
{
    static final int CLOSE_PEER = 0;
    static final int CLOSE_HANDSHAKE = 1;
    static final int CLOSE_PROTOCOL = 2;
    static final int CLOSE_STALLED = 3;
    static final int CLOSE_TIMEOUT = 4;
    static final int CLOSE_SERVER = 5;

    private static final Logger LOG = Logger.getLogger(RtmpConnection.class.getName());

    private static final int STATE_C0C1 = 0;
    private static final int STATE_C2 = 1;
    private static final int STATE_OPEN = 2;
    private static final int STATE_CLOSED = 3;

    private static final int C0C1_LENGTH = Handshake.VERSION_LENGTH + Handshake.PACKET_LENGTH;
    private static final int S0S1S2_LENGTH = Handshake.VERSION_LENGTH + 2 * Handshake.PACKET_LENGTH;
    /** The version we put in a digest S1 (any non-zero value marks the digest handshake). */
    private static final int SERVER_VERSION = 0x0D0E0A0D;
    private static final int READS_PER_CYCLE = 4;
    private static final int MAX_CHUNK_STREAMS_OUT = 8;

    private static final int CSID_CONTROL = ProtocolControl.CHUNK_STREAM_ID;
    private static final int CSID_COMMAND = 3;
    private static final int CSID_AUDIO = 4;
    private static final int CSID_DATA = 5;
    private static final int CSID_VIDEO = 6;

    private static final int MARKS = 64;
    private static final long MARK_GRANULARITY_NS = 1_000_000;

    private final RtmpServer server;
    private final SocketChannel channel;
    private final InetSocketAddress peer;
    private final ByteBuffer input;
    private final UnsafeBuffer inputView;
    private final ByteBuffer output;
    private final UnsafeBuffer outputView;
    private final UnsafeBuffer handshake = new UnsafeBuffer(new byte[C0C1_LENGTH]);
    private final UnsafeBuffer control = new UnsafeBuffer(new byte[16]);
    private final ChunkStreamDecoder decoder;
    private final ChunkStreamEncoder encoder = new ChunkStreamEncoder(MAX_CHUNK_STREAMS_OUT);
    private final UserControl userControl = new UserControl();
    private final long openedNs;
    private SelectionKey key;
    private NetConnection connection;

    private int state = STATE_C0C1;
    private int handshakeReceived;
    private int queued;
    private long totalQueued;
    private long totalWritten;
    private long lastProgressNs;
    private boolean scheduled;
    private boolean writeInterest;
    private boolean closeWhenFlushed;
    private long peerWindow;
    private long lastAcknowledged;

    // time marks: markEnd[i] = totalQueued after the messages queued at markTime[i]
    private final long[] markEnd = new long[MARKS];
    private final long[] markTime = new long[MARKS];
    private int markHead;
    private int markCount;

    RtmpConnection(final RtmpServer server, final SocketChannel channel) throws IOException
    {
        this.server = server;
        this.channel = channel;
        this.peer = (InetSocketAddress)channel.getRemoteAddress();
        final RtmpServer.Context context = server.context();
        input = ByteBuffer.allocateDirect(context.inputBufferBytes());
        inputView = new UnsafeBuffer(input);
        output = ByteBuffer.allocateDirect(context.outputBufferBytes());
        outputView = new UnsafeBuffer(output);
        decoder = new ChunkStreamDecoder(this, context.maxMessageLength(), ChunkStreamDecoder.DEFAULT_MAX_CHUNK_STREAMS);
        openedNs = server.nowNs();
        lastProgressNs = openedNs;
    }

    void register(final SelectionKey key)
    {
        this.key = key;
    }

    // ------------------------------------------------------------------------------------------------ input

    void onReadable()
    {
        for (int i = 0; i < READS_PER_CYCLE && STATE_CLOSED != state; i++)
        {
            final int n;
            try
            {
                input.clear();
                n = channel.read(input);
            }
            catch (final IOException ex)
            {
                close(CLOSE_PEER, null);
                return;
            }
            if (n < 0)
            {
                close(CLOSE_PEER, null);
                return;
            }
            if (0 == n)
            {
                return;
            }
            server.counters().bytesIn.getAndAddRelease(n);
            onBytes(0, n);
            if (n < input.capacity())
            {
                return;
            }
        }
    }

    private void onBytes(final int offset, final int length)
    {
        int position = offset;
        final int end = offset + length;
        while (position < end && STATE_OPEN != state)
        {
            if (STATE_CLOSED == state)
            {
                return;
            }
            if (STATE_C0C1 == state)
            {
                final int n = Math.min(end - position, C0C1_LENGTH - handshakeReceived);
                handshake.putBytes(handshakeReceived, inputView, position, n);
                if (0 == handshakeReceived && Handshake.RTMP_VERSION != (handshake.getByte(0) & 0xFF))
                {
                    close(CLOSE_HANDSHAKE, "C0 version " + (handshake.getByte(0) & 0xFF) + " is not RTMP 3");
                    return;
                }
                handshakeReceived += n;
                position += n;
                if (C0C1_LENGTH == handshakeReceived)
                {
                    onC1();
                    handshakeReceived = 0;
                    state = STATE_C2;
                }
            }
            else
            {
                // C2 echoes S1; many clients get it wrong and servers accept it regardless, as we do
                final int n = Math.min(end - position, Handshake.PACKET_LENGTH - handshakeReceived);
                handshakeReceived += n;
                position += n;
                if (Handshake.PACKET_LENGTH == handshakeReceived)
                {
                    onHandshakeDone();
                }
            }
        }
        if (STATE_OPEN == state && position < end)
        {
            final int result = decoder.onBytes(inputView, position, end - position);
            if (result < 0 && STATE_CLOSED != state)
            {
                close(CLOSE_PROTOCOL, describe(result));
                return;
            }
            acknowledgeIfDue();
        }
    }

    private String describe(final int error)
    {
        switch (error)
        {
            case ChunkStreamDecoder.ERROR_NO_PREVIOUS_HEADER:
                return "malformed chunk stream: a compressed chunk header on a chunk stream without a type 0 header";
            case ChunkStreamDecoder.ERROR_MESSAGE_TOO_LARGE:
                return "malformed chunk stream: a message longer than " + decoder.maxMessageLength() + " bytes";
            case ChunkStreamDecoder.ERROR_TOO_MANY_CHUNK_STREAMS:
                return "malformed chunk stream: more than " + decoder.maxChunkStreams() + " chunk streams";
            case ChunkStreamDecoder.ERROR_CHUNK_SIZE:
                return "malformed chunk stream: Set Chunk Size out of range";
            case ChunkStreamDecoder.ERROR_INTERRUPTED_MESSAGE:
                return "malformed chunk stream: a new message header before the previous message was complete";
            default:
                return "malformed chunk stream (error " + error + ")";
        }
    }

    private void onC1()
    {
        final HandshakeDigest digest = server.handshakeDigest();
        final int c1 = Handshake.VERSION_LENGTH;
        final boolean digestPossible = 0 != handshake.getInt(c1 + Handshake.ZERO_OFFSET);
        final int scheme = digestPossible ? digest.validate(
            handshake, c1, HandshakeDigest.CLIENT_KEY, HandshakeDigest.CLIENT_PARTIAL_KEY_LENGTH) :
            HandshakeDigest.NO_DIGEST;

        final byte[] random = server.handshakeRandom();
        ThreadLocalRandom.current().nextBytes(random);
        outputView.putByte(0, (byte)Handshake.RTMP_VERSION);
        final int s1 = Handshake.VERSION_LENGTH;
        final int s2 = s1 + Handshake.PACKET_LENGTH;
        outputView.putBytes(s1, random, 0, Handshake.PACKET_LENGTH);
        final int time = (int)(server.context().epochClock().time() / 1000);
        if (HandshakeDigest.NO_DIGEST == scheme)
        {
            Handshake.encodeC1(outputView, s1, time, 0);
            Handshake.encodeEcho(outputView, s2, handshake, c1, time);
        }
        else
        {
            server.counters().digestHandshakes.incrementRelease();
            Handshake.encodeC1(outputView, s1, time, SERVER_VERSION);
            digest.sign(outputView, s1, scheme, HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_PARTIAL_KEY_LENGTH);
            outputView.putBytes(s2, random, Handshake.PACKET_LENGTH, Handshake.PACKET_LENGTH);
            digest.signResponse(outputView, s2, handshake, c1, scheme, HandshakeDigest.SERVER_KEY);
        }
        queued(S0S1S2_LENGTH);
    }

    private void onHandshakeDone()
    {
        state = STATE_OPEN;
        connection = server.media().newConnection(this, null);
        if (null == connection)
        {
            close(CLOSE_SERVER, "media server at its connection limit");
            return;
        }
        // §5.4: our acknowledgement window, the peer's bandwidth, then a larger chunk size (encoded at the old one)
        final RtmpServer.Context context = server.context();
        sendControl(MessageType.WINDOW_ACK_SIZE, ProtocolControl.encodeU32(control, 0, context.windowAckSize()));
        sendControl(MessageType.SET_PEER_BANDWIDTH, ProtocolControl.encodeSetPeerBandwidth(
            control, 0, context.windowAckSize(), ProtocolControl.LIMIT_DYNAMIC));
        sendControl(MessageType.SET_CHUNK_SIZE, ProtocolControl.encodeU32(control, 0, context.chunkSize()));
        encoder.chunkSize(context.chunkSize());
    }

    private void acknowledgeIfDue()
    {
        final long received = decoder.bytesReceived();
        if (peerWindow > 0 && received - lastAcknowledged >= peerWindow && STATE_OPEN == state)
        {
            lastAcknowledged = received;
            sendControl(MessageType.ACKNOWLEDGEMENT, ProtocolControl.encodeU32(control, 0, received & 0xFFFF_FFFFL));
        }
    }

    @Override
    public void onMessage(
        final int chunkStreamId,
        final int typeId,
        final int timestamp,
        final int messageStreamId,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (STATE_OPEN != state)
        {
            return;
        }
        switch (typeId)
        {
            case MessageType.SET_CHUNK_SIZE:
            case MessageType.ABORT:
            case MessageType.ACKNOWLEDGEMENT:
            case MessageType.SET_PEER_BANDWIDTH:
                break; // the decoder applied the first two; we do not limit our output by the peer's window

            case MessageType.WINDOW_ACK_SIZE:
            {
                final long window = ProtocolControl.u32(buffer, offset, length);
                if (window > 0)
                {
                    peerWindow = window;
                }
                break;
            }

            case MessageType.USER_CONTROL:
                if (userControl.wrap(buffer, offset, length) >= 0 &&
                    UserControl.PING_REQUEST == userControl.eventType())
                {
                    sendControl(MessageType.USER_CONTROL,
                        UserControl.encode(control, 0, UserControl.PING_RESPONSE, userControl.first()));
                }
                break;

            default:
                connection.onMessage(messageStreamId, typeId, timestamp, buffer, offset, length);
                break;
        }
    }

    // ------------------------------------------------------------------------------------------------ output

    private void sendControl(final int type, final int length)
    {
        send(0, type, 0, control, 0, length);
    }

    @Override
    public boolean send(
        final int streamId,
        final int messageType,
        final int timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (STATE_CLOSED == state)
        {
            return false;
        }
        final int written = encoder.encode(outputView, queued, output.capacity() - queued,
            chunkStreamId(messageType), messageType, timestamp, streamId, buffer, offset, length);
        if (written < 0)
        {
            return false;
        }
        queued(written);
        return true;
    }

    private static int chunkStreamId(final int messageType)
    {
        switch (messageType)
        {
            case MessageType.AUDIO:
                return CSID_AUDIO;
            case MessageType.VIDEO:
                return CSID_VIDEO;
            case MessageType.DATA_AMF0:
            case MessageType.DATA_AMF3:
                return CSID_DATA;
            case MessageType.COMMAND_AMF0:
            case MessageType.COMMAND_AMF3:
                return CSID_COMMAND;
            default:
                return CSID_CONTROL;
        }
    }

    private void queued(final int bytes)
    {
        final long nowNs = server.nowNs();
        if (0 == queued)
        {
            lastProgressNs = nowNs; // the stall clock runs from when output is pending
        }
        queued += bytes;
        totalQueued += bytes;
        if (markCount > 0)
        {
            final int last = (markHead + markCount - 1) % MARKS;
            if (nowNs - markTime[last] < MARK_GRANULARITY_NS || MARKS == markCount)
            {
                markEnd[last] = totalQueued; // same millisecond, or ring full: age errs on the old side
                schedule();
                return;
            }
        }
        final int slot = (markHead + markCount) % MARKS;
        markEnd[slot] = totalQueued;
        markTime[slot] = nowNs;
        markCount++;
        schedule();
    }

    private void schedule()
    {
        if (!scheduled)
        {
            scheduled = true;
            server.markDirty(this);
        }
    }

    @Override
    public long backlogNs(final long nowNs)
    {
        return 0 == markCount ? 0 : Math.max(0, nowNs - markTime[markHead]);
    }

    void onFlushScheduled()
    {
        scheduled = false;
        flush();
    }

    void flush()
    {
        if (STATE_CLOSED == state)
        {
            return;
        }
        if (queued > 0)
        {
            final int written;
            try
            {
                output.limit(queued).position(0);
                written = channel.write(output);
            }
            catch (final IOException ex)
            {
                close(CLOSE_PEER, null);
                return;
            }
            if (written > 0)
            {
                server.counters().bytesOut.getAndAddRelease(written);
                lastProgressNs = server.nowNs();
                totalWritten += written;
                queued -= written;
                if (queued > 0)
                {
                    outputView.putBytes(0, outputView, written, queued);
                }
                while (markCount > 0 && markEnd[markHead] <= totalWritten)
                {
                    markHead = (markHead + 1) % MARKS;
                    markCount--;
                }
            }
        }
        if (queued > 0 != writeInterest)
        {
            writeInterest = queued > 0;
            key.interestOps(writeInterest ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
        if (0 == queued && closeWhenFlushed)
        {
            close(CLOSE_SERVER, null);
        }
    }

    /**
     * @return true when it closed the connection.
     */
    boolean checkTimeouts(final long nowNs, final long stallTimeoutNs, final long handshakeTimeoutNs)
    {
        if (queued > 0 && nowNs - lastProgressNs > stallTimeoutNs)
        {
            close(CLOSE_STALLED, "no write progress for " + (nowNs - lastProgressNs) / 1_000_000 + " ms with " +
                queued + " bytes pending");
            return true;
        }
        if ((null == connection || !connection.isConnected()) && nowNs - openedNs > handshakeTimeoutNs &&
            !closeWhenFlushed)
        {
            close(CLOSE_TIMEOUT, "no handshake and connect within " + handshakeTimeoutNs / 1_000_000 + " ms");
            return true;
        }
        return false;
    }

    @Override
    public void streamBegin(final int streamId)
    {
        sendControl(MessageType.USER_CONTROL, UserControl.encode(control, 0, UserControl.STREAM_BEGIN, streamId));
    }

    @Override
    public void streamEof(final int streamId)
    {
        sendControl(MessageType.USER_CONTROL, UserControl.encode(control, 0, UserControl.STREAM_EOF, streamId));
    }

    @Override
    public void close()
    {
        closeWhenFlushed = true;
        schedule();
    }

    @Override
    public InetSocketAddress peerAddress()
    {
        return peer;
    }

    @Override
    public String protocol()
    {
        return "rtmp";
    }

    void close(final int reason, final String why)
    {
        if (STATE_CLOSED == state)
        {
            return;
        }
        state = STATE_CLOSED;
        final RtmpCounters counters = server.counters();
        switch (reason)
        {
            case CLOSE_PEER:
                counters.closedByPeer.incrementRelease();
                break;
            case CLOSE_HANDSHAKE:
                counters.closedHandshakeError.incrementRelease();
                break;
            case CLOSE_PROTOCOL:
                counters.closedProtocolError.incrementRelease();
                break;
            case CLOSE_STALLED:
                counters.closedStalled.incrementRelease();
                break;
            case CLOSE_TIMEOUT:
                counters.closedTimeout.incrementRelease();
                break;
            default:
                counters.closedByServer.incrementRelease();
                break;
        }
        if (null != why)
        {
            LOG.log(CLOSE_SERVER == reason ? Level.FINE : Level.INFO, "rtmp: closing " + peer + ": " + why);
        }
        if (null != connection)
        {
            connection.close();
        }
        if (null != key)
        {
            key.cancel();
        }
        CloseHelper.quietClose(channel);
        server.onClosed(this);
    }
}
