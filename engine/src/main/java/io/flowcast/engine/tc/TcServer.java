package io.flowcast.engine.tc;

import io.flowcast.codec.amf.Amf0Command;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.codec.tc.TcFlowMetadata;
import io.flowcast.codec.tc.TcMessageFlyweight;
import io.flowcast.engine.media.MediaServer;
import io.flowcast.engine.media.NetConnection;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The media server over RTMFP (RFC 7425 §5): the endpoint's {@link FlowListener} and {@link SessionListener} that
 * turns each session's TC control flow into a {@link NetConnection} of the {@link MediaServer}, and its co-located
 * {@link Agent} that closes the sessions of rejected connections once their replies are delivered.
 * <p>
 * Flows (RFC 7425 §5.1.1, golden session): the client opens its control flow with metadata TC/0 and no return
 * association; we answer on a flow TC/0 associated with it. The client's NetStream flows (TC/N) must be return flows
 * of our control flow; ours are return flows of its control flow ({@link TcConnection}). A flow whose metadata is not
 * TC, a second control flow, and a stream flow not associated with our control flow are rejected. Messages shorter
 * than the TC header or with a bad format byte are dropped and counted; chunk-stream control messages (types 1, 2, 3,
 * 5, 6) and user control from the client are ignored. Nothing here throws into the agent.
 * <p>
 * Runs on the endpoint's agent thread, like the media server it feeds (the same thread: {@code flowcast server} makes
 * the media server, the RTMP listener and this agent the endpoint's co-located duty).
 */
public final class TcServer implements FlowListener, SessionListener, Agent
{
    private static final long HOUSEKEEPING_INTERVAL_NS = 100_000_000L;

    private final MediaServer media;
    private final SessionListener next;
    private final TcCounters counters;
    private final Map<Session, TcConnection> connections = new HashMap<>();
    private final List<TcConnection> closing = new ArrayList<>();
    private final TcMessageFlyweight message = new TcMessageFlyweight();
    private final TcFlowMetadata metadata = new TcFlowMetadata();
    private final UnsafeBuffer metadataView = new UnsafeBuffer(new byte[0]);
    private final Amf0Command command = new Amf0Command();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64 * 1024);
    private final byte[] controlMetadata = TcFlows.metadata(0);
    private final FlowOptions controlOptions = TcConnection.options(128 * 1024, 256);
    private final FlowOptions dataOptions = TcConnection.options(256 * 1024, 512);
    private final FlowOptions audioOptions = TcConnection.options(256 * 1024, 512);
    private final FlowOptions videoOptions = TcConnection.options(1024 * 1024, 2048);
    private long serverKeepaliveMs = 10_000;
    private long peerKeepaliveMs = 10_000;
    private volatile RtmfpEndpoint endpoint;
    private volatile String fingerprintHex;
    private long nextHousekeepingNs;

    /**
     * @param media           the media server (same thread).
     * @param next            session events passed on after ours (e.g. the event log), or null.
     * @param countersManager where the counters go, or null.
     */
    public TcServer(final MediaServer media, final SessionListener next, final CountersManager countersManager)
    {
        this.media = Objects.requireNonNull(media);
        this.next = next;
        this.counters = new TcCounters(countersManager);
    }

    /**
     * @param endpoint the endpoint this transport listens to: it closes sessions through it.
     * @return this.
     */
    public TcServer endpoint(final RtmfpEndpoint endpoint)
    {
        this.fingerprintHex = java.util.HexFormat.of().formatHex(endpoint.fingerprint());
        this.endpoint = endpoint;
        return this;
    }

    /**
     * Our fingerprint, known before the endpoint exists (from its keying), so that a session accepted before
     * {@link #endpoint} is set is answered in full; closes wait for the endpoint.
     *
     * @param fingerprint the endpoint's certificate fingerprint.
     * @return this.
     */
    public TcServer fingerprint(final byte[] fingerprint)
    {
        this.fingerprintHex = java.util.HexFormat.of().formatHex(fingerprint);
        return this;
    }

    String fingerprintHex()
    {
        return fingerprintHex;
    }

    /**
     * @param serverMs the keepalive period clients should use with us (RFC 7425 §5.3.4, Set Keepalive Timers).
     * @param peerMs   the keepalive period they should use with their peers.
     * @return this.
     */
    public TcServer keepalive(final long serverMs, final long peerMs)
    {
        this.serverKeepaliveMs = serverMs;
        this.peerKeepaliveMs = peerMs;
        return this;
    }

    /**
     * @return the counters.
     */
    public TcCounters counters()
    {
        return counters;
    }

    /**
     * @return NetConnections over RTMFP now.
     */
    public int connectionCount()
    {
        return connections.size();
    }

    MediaServer media()
    {
        return media;
    }

    ExpandableArrayBuffer scratch()
    {
        return scratch;
    }

    long serverKeepaliveMs()
    {
        return serverKeepaliveMs;
    }

    long peerKeepaliveMs()
    {
        return peerKeepaliveMs;
    }

    FlowOptions flowOptions(final int kind)
    {
        return TcFlows.AUDIO == kind ? audioOptions : TcFlows.VIDEO == kind ? videoOptions : dataOptions;
    }

    // ------------------------------------------------------------------------------------------------ flows

    @Override
    public void onFlowOpened(final ReceiveFlow flow)
    {
        final byte[] bytes = flow.metadata();
        metadataView.wrap(bytes);
        if (metadata.wrap(metadataView, 0, bytes.length) < 0)
        {
            reject(flow); // RFC 7425 §5.1.1: not a TC flow (RTMFP Groups, garbage)
            return;
        }
        final long streamId = metadata.streamId();
        final SendFlow association = flow.association();
        if (null == association)
        {
            if (0 != streamId || connections.containsKey(flow.session()))
            {
                reject(flow); // NetStream flows must answer our control flow; one NetConnection per session
                return;
            }
            openConnection(flow);
            return;
        }
        if (!(association.attachment() instanceof TcConnection) || streamId > Integer.MAX_VALUE)
        {
            reject(flow);
            return;
        }
        final TcConnection connection = (TcConnection)association.attachment();
        flow.attachment(new Inbound(connection, (int)streamId));
    }

    private void openConnection(final ReceiveFlow flow)
    {
        final Session session = flow.session();
        final SendFlow controlOut = session.openFlow(controlMetadata, flow, controlOptions);
        if (null == controlOut)
        {
            counters.connectionsRefused.incrementRelease();
            flow.reject(0);
            return;
        }
        final TcConnection connection = new TcConnection(this, session, flow, controlOut);
        final NetConnection netConnection = media.newConnection(connection, session.nearNonce());
        if (null == netConnection)
        {
            counters.connectionsRefused.incrementRelease();
            flow.reject(0);
            controlOut.close();
            closeSession(session);
            return;
        }
        connection.connection(netConnection);
        connections.put(session, connection);
        flow.attachment(new Inbound(connection, 0));
        counters.connectionsOpened.incrementRelease();
        counters.connectionsOpen.incrementRelease();
    }

    private void reject(final ReceiveFlow flow)
    {
        counters.flowsRejected.incrementRelease();
        flow.reject(0);
    }

    @Override
    public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
    {
        final Object attachment = flow.attachment();
        if (!(attachment instanceof Inbound))
        {
            return;
        }
        final Inbound inbound = (Inbound)attachment;
        counters.messagesIn.incrementRelease();
        if (message.wrap(buffer, offset, length) < 0)
        {
            counters.malformedMessages.incrementRelease();
            return;
        }
        final int type = message.type();
        if (MessageType.USER_CONTROL == type || MessageType.isProtocolControl(type))
        {
            // §5.4: chunk-stream control has no meaning on flows; a client's user control (Flow Sync between its
            // own flows, Set Buffer Length) changes nothing on a live server
            counters.ignoredMessages.incrementRelease();
            return;
        }
        inbound.connection.onMessage(inbound.streamId, type, (int)message.timestamp(), buffer,
            message.payloadOffset(), message.payloadLength(), command);
    }

    @Override
    public void onFlowClosed(final ReceiveFlow flow)
    {
        final Object attachment = flow.attachment();
        if (attachment instanceof Inbound)
        {
            final Inbound inbound = (Inbound)attachment;
            final TcConnection connection = inbound.connection;
            if (0 == inbound.streamId && null == flow.association() && connections.get(flow.session()) == connection)
            {
                // RFC 7425 §5.1: closing the control flow ends the NetConnection
                connections.remove(flow.session());
                counters.connectionsOpen.decrementRelease();
                connection.release();
                connection.closeFlows();
                closeSession(flow.session());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ sessions

    @Override
    public void onSessionOpened(final Session session)
    {
        if (null != next)
        {
            next.onSessionOpened(session);
        }
    }

    @Override
    public void onSessionClosed(final Session session, final CloseReason reason)
    {
        final TcConnection connection = connections.remove(session);
        if (null != connection)
        {
            counters.connectionsOpen.decrementRelease();
            connection.release();
            closing.remove(connection);
        }
        if (null != next)
        {
            next.onSessionClosed(session, reason);
        }
    }

    @Override
    public void onOpenFailed(final long openId, final CloseReason reason)
    {
        if (null != next)
        {
            next.onOpenFailed(openId, reason);
        }
    }

    void onCloseRequested(final TcConnection connection)
    {
        closing.add(connection);
    }

    private void closeSession(final Session session)
    {
        if (null != endpoint)
        {
            endpoint.close(session);
        }
    }

    // ------------------------------------------------------------------------------------------------ duty

    /**
     * @return now, on the media server's clock.
     */
    long nowNs()
    {
        return media.clock().nanoTime();
    }

    @Override
    public int doWork()
    {
        if (closing.isEmpty() || null == endpoint) // sessions to close wait until the endpoint is known
        {
            return 0;
        }
        final long nowNs = media.clock().nanoTime();
        if (nowNs - nextHousekeepingNs < 0)
        {
            return 0;
        }
        nextHousekeepingNs = nowNs + HOUSEKEEPING_INTERVAL_NS;
        int work = 0;
        for (int i = closing.size() - 1; i >= 0; i--)
        {
            final TcConnection connection = closing.get(i);
            if (connection.drained() || nowNs - connection.closeRequestedNs() > TcConnection.CLOSE_LINGER_NS)
            {
                closing.remove(i);
                closeSession(connection.session());
                work++;
            }
        }
        return work;
    }

    @Override
    public String roleName()
    {
        return "flowcast-rtmfp-media";
    }

    @Override
    public void onClose()
    {
        counters.close();
    }

    /**
     * What a receiving flow of a NetConnection is: its connection and its stream ID (from its TC metadata).
     */
    private static final class Inbound
    {
        final TcConnection connection;
        final int streamId;

        Inbound(final TcConnection connection, final int streamId)
        {
            this.connection = connection;
            this.streamId = streamId;
        }
    }
}
