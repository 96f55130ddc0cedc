package io.flowcast.engine.tc;

import io.flowcast.codec.amf.Amf0Command;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.codec.rtmp.UserControl;
import io.flowcast.codec.tc.TcMessageFlyweight;
import io.flowcast.config.AppConfig;
import io.flowcast.engine.media.MessageChannel;
import io.flowcast.engine.media.MessageKind;
import io.flowcast.engine.media.NetConnection;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * One RTMFP session's NetConnection, as RFC 7425 §5 carries it: the client's control flow (TC stream 0) in, our
 * control flow answering it out, and per NetStream our command/data, audio and video flows, each a return flow of
 * the client's control flow with the stream's TC metadata (RFC 7425 §5.1.1, golden session flows 3–5).
 * <p>
 * {@link #send} frames each message (type, timestamp, payload; §5.1) onto the stream's flow for its type with that
 * type's priority; audio and video get the player's lifetimes from the app's settings, so the flow abandons what
 * expires (§3.6.2.7 of RFC 7016) — except decoder configurations, which are sent reliably. A command on a stream whose
 * media flows carried messages since the last one is preceded by a Flow Sync (§5.2) on all the stream's flows, so
 * that e.g. NetStream.Play.UnpublishNotify is not delivered before the last audio and video. Agent thread only.
 */
final class TcConnection implements MessageChannel
{
    /** The client's session is closed this long after a rejection even if our flows have not drained. */
    static final long CLOSE_LINGER_NS = 2_000_000_000L;

    private static final int MAX_STREAM_ID = 255;
    private static final int SYNC_MESSAGE_LENGTH = TcMessageFlyweight.HEADER_LENGTH + 10;

    private final TcServer server;
    private final Session session;
    private final ReceiveFlow controlIn;
    private final SendFlow controlOut;
    private final UnsafeBuffer control = new UnsafeBuffer(new byte[32]);
    private final MessageKind classifier = new MessageKind();
    private SendFlow[] streamFlows = new SendFlow[TcFlows.KINDS * 4];
    private boolean[] syncDue = new boolean[4];
    private int highestStream;
    private NetConnection connection;
    private long audioLifetimeNs = -1;
    private long videoLifetimeNs = -1;
    private int nextSyncId;
    /** The stream whose late-join cache is being sent, or -1. */
    private int catchUpStream = -1;
    private boolean closing;
    private long closeRequestedNs;
    private boolean released;

    TcConnection(final TcServer server, final Session session, final ReceiveFlow controlIn, final SendFlow controlOut)
    {
        this.server = server;
        this.session = session;
        this.controlIn = controlIn;
        this.controlOut = controlOut;
        controlOut.attachment(this);
    }

    void connection(final NetConnection connection)
    {
        this.connection = connection;
    }

    NetConnection connection()
    {
        return connection;
    }

    Session session()
    {
        return session;
    }

    SendFlow controlOut()
    {
        return controlOut;
    }

    boolean isClosing()
    {
        return closing;
    }

    long closeRequestedNs()
    {
        return closeRequestedNs;
    }

    // ------------------------------------------------------------------------------------------------ input

    /**
     * One TC message from the client, already framed.
     */
    void onMessage(
        final int streamId,
        final int type,
        final int timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Amf0Command command)
    {
        if (released || null == connection)
        {
            return;
        }
        connection.onMessage(streamId, type, timestamp, buffer, offset, length);
        if (0 == streamId && (MessageType.COMMAND_AMF0 == type || MessageType.COMMAND_AMF3 == type))
        {
            // §5.3.4: answer setPeerInfo with Set Keepalive Timers, as servers do
            final int skip = MessageType.COMMAND_AMF3 == type ? 1 : 0;
            if (length > skip && command.wrap(buffer, offset + skip, length - skip) >= 0 &&
                command.nameEquals("setPeerInfo") && connection.isConnected())
            {
                final int n = UserControl.encode(control, 0, UserControl.SET_KEEPALIVE_TIMERS,
                    server.serverKeepaliveMs(), server.peerKeepaliveMs());
                send(0, MessageType.USER_CONTROL, 0, control, 0, n);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ output

    @Override
    public boolean send(
        final int streamId,
        final int messageType,
        final int timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        if (released)
        {
            return false;
        }
        if (0 == streamId)
        {
            return offer(controlOut, messageType, timestamp, buffer, offset, length, TcFlows.PRIORITY_DATA, 0, false);
        }
        final int kind = TcFlows.kind(messageType);
        final boolean catchingUp = streamId == catchUpStream;
        // the late-join cache goes on one flow, so its order holds (metadata, configs, keyframe, the rest of the GOP)
        final SendFlow flow = streamFlow(streamId, catchingUp ? TcFlows.VIDEO : kind);
        if (null == flow)
        {
            return false;
        }
        if (TcFlows.DATA == kind)
        {
            if ((MessageType.COMMAND_AMF0 == messageType || MessageType.COMMAND_AMF3 == messageType) &&
                syncDue[streamId] && !catchingUp)
            {
                flowSync(streamId);
            }
            return offer(flow, messageType, timestamp, buffer, offset, length, TcFlows.PRIORITY_DATA, 0, false);
        }
        syncDue[streamId] = true;
        long lifetimeNs = 0;
        if (!MessageKind.isConfig(classifier.classify(messageType, buffer, offset, length)))
        {
            resolveLifetimes();
            lifetimeNs = TcFlows.AUDIO == kind ? audioLifetimeNs : videoLifetimeNs;
        }
        return offer(flow, messageType, timestamp, buffer, offset, length, TcFlows.priority(kind), lifetimeNs, true);
    }

    private boolean offer(
        final SendFlow flow,
        final int type,
        final int timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int priority,
        final long lifetimeNs,
        final boolean timeCritical)
    {
        final long result;
        final int header = TcMessageFlyweight.HEADER_LENGTH;
        if (offset >= header &&
            (byte)type == buffer.getByte(offset - header + TcMessageFlyweight.TYPE_OFFSET) &&
            timestamp == buffer.getInt(offset - header + TcMessageFlyweight.TIMESTAMP_OFFSET, ByteOrder.BIG_ENDIAN))
        {
            // the payload came from an RFC 7425 publisher: its own TC header is still in front of it
            result = flow.offer(buffer, offset - header, length + header, priority, lifetimeNs, timeCritical);
        }
        else
        {
            final ExpandableArrayBuffer scratch = server.scratch();
            TcMessageFlyweight.encodeHeader(scratch, 0, type, timestamp);
            scratch.putBytes(header, buffer, offset, length);
            result = flow.offer(scratch, 0, length + header, priority, lifetimeNs, timeCritical);
        }
        if (result > 0)
        {
            server.counters().messagesOut.incrementRelease();
            return true;
        }
        if (OfferStatus.BACK_PRESSURED == result)
        {
            server.counters().backPressured.incrementRelease();
        }
        else if (OfferStatus.MESSAGE_TOO_LARGE == result)
        {
            server.counters().messagesTooLarge.incrementRelease();
        }
        return false;
    }

    /**
     * The late-join cache is sent on the stream's video flow alone; a Flow Sync (§5.2) on all three of the stream's
     * flows before it holds it behind the play statuses, and one after it holds the live audio, video and data behind
     * it. So a player sees metadata, codec configuration and the keyframe first, as over RTMP.
     */
    @Override
    public void catchUp(final int streamId, final boolean begin)
    {
        if (released || streamId < 1)
        {
            return;
        }
        for (int kind = 0; kind < TcFlows.KINDS; kind++)
        {
            if (null == streamFlow(streamId, kind))
            {
                catchUpStream = -1;
                return; // refused or out of flows: messages go their usual way
            }
        }
        flowSync(streamId);
        catchUpStream = begin ? streamId : -1;
    }

    /**
     * RFC 7425 §5.2: the same (syncID, count) on each of the stream's flows; the receiver holds each flow at it until
     * it has been seen on all of them.
     */
    private void flowSync(final int streamId)
    {
        syncDue[streamId] = false;
        final int base = streamId * TcFlows.KINDS;
        int count = 0;
        for (int k = 0; k < TcFlows.KINDS; k++)
        {
            if (null != streamFlows[base + k])
            {
                count++;
            }
        }
        final int syncId = nextSyncId++;
        TcMessageFlyweight.encodeHeader(control, 0, MessageType.USER_CONTROL, 0);
        UserControl.encode(control, TcMessageFlyweight.HEADER_LENGTH, UserControl.FLOW_SYNC, syncId, count);
        for (int k = TcFlows.KINDS - 1; k >= 0; k--)
        {
            final SendFlow flow = streamFlows[base + k];
            if (null != flow)
            {
                flow.offer(control, 0, SYNC_MESSAGE_LENGTH, TcFlows.priority(k), 0, false);
            }
        }
        server.counters().flowSyncsSent.incrementRelease();
    }

    private SendFlow streamFlow(final int streamId, final int kind)
    {
        if (streamId < 1 || streamId > MAX_STREAM_ID)
        {
            return null;
        }
        final int index = streamId * TcFlows.KINDS + kind;
        if (index >= streamFlows.length)
        {
            streamFlows = java.util.Arrays.copyOf(streamFlows, (streamId + 1) * TcFlows.KINDS * 2);
            syncDue = java.util.Arrays.copyOf(syncDue, (streamId + 1) * 2);
        }
        SendFlow flow = streamFlows[index];
        if (null == flow || SendFlow.F_OPEN != flow.state())
        {
            if (null != flow && flow.isRejected())
            {
                return null; // the client refused this stream's flow: do not reopen it for every message
            }
            flow = session.openFlow(TcFlows.metadata(streamId), controlIn, server.flowOptions(kind));
            if (null == flow)
            {
                return null;
            }
            flow.attachment(this);
            streamFlows[index] = flow;
            highestStream = Math.max(highestStream, streamId);
        }
        return flow;
    }

    private void resolveLifetimes()
    {
        if (audioLifetimeNs < 0)
        {
            final AppConfig app = server.media().appConfig(null == connection.app() ? "" : connection.app());
            audioLifetimeNs = app.audioLifetime().toNanos();
            videoLifetimeNs = app.videoLifetime().toNanos();
        }
    }

    @Override
    public long backlogNs(final long nowNs)
    {
        long oldest = 0;
        final SendFlow[] flows = this.streamFlows;
        for (int i = TcFlows.KINDS, end = (highestStream + 1) * TcFlows.KINDS; i < end; i++)
        {
            final SendFlow flow = flows[i];
            if (null != flow && TcFlows.DATA != i % TcFlows.KINDS)
            {
                oldest = Math.max(oldest, flow.oldestQueuedAgeNs(nowNs));
            }
        }
        return oldest;
    }

    @Override
    public void streamBegin(final int streamId)
    {
        // on the control flow, as the reference server does (golden session i=12)
        final int n = UserControl.encode(control, 0, UserControl.STREAM_BEGIN, streamId);
        send(0, MessageType.USER_CONTROL, 0, control, 0, n);
    }

    @Override
    public void streamEof(final int streamId)
    {
        final int n = UserControl.encode(control, 0, UserControl.STREAM_EOF, streamId);
        send(0, MessageType.USER_CONTROL, 0, control, 0, n);
    }

    /**
     * After a rejection: close our flows (what is queued is still delivered) and let the server close the session
     * once they have drained, or after {@link #CLOSE_LINGER_NS}.
     */
    @Override
    public void close()
    {
        if (!closing && !released)
        {
            closing = true;
            closeRequestedNs = server.nowNs();
            closeFlows();
            server.onCloseRequested(this);
        }
    }

    /**
     * @return true when every flow we opened has nothing queued.
     */
    boolean drained()
    {
        if (controlOut.bytesQueued() > 0)
        {
            return false;
        }
        for (final SendFlow flow : streamFlows)
        {
            if (null != flow && flow.bytesQueued() > 0)
            {
                return false;
            }
        }
        return true;
    }

    void closeFlows()
    {
        controlOut.close();
        for (final SendFlow flow : streamFlows)
        {
            if (null != flow)
            {
                flow.close();
            }
        }
    }

    /**
     * The session closed or the client closed its control flow: end the NetConnection. Idempotent.
     */
    void release()
    {
        if (!released)
        {
            released = true;
            if (null != connection)
            {
                connection.close();
            }
        }
    }

    @Override
    public InetSocketAddress peerAddress()
    {
        return session.farAddress();
    }

    @Override
    public String protocol()
    {
        return "rtmfp";
    }

    @Override
    public byte[] peerNonce()
    {
        return session.farNonce();
    }

    @Override
    public String serverFingerprint()
    {
        return server.fingerprintHex();
    }

    static FlowOptions options(final int bufferBytes, final int fragments)
    {
        return new FlowOptions().bufferBytes(bufferBytes).maxQueuedFragments(fragments).measureLatency(false);
    }
}
