package io.flowcast.engine.endpoint;

import io.flowcast.engine.flow.SessionFlows;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.FlushQueue;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.session.SessionOwner;
import io.flowcast.engine.session.SessionServices;
import io.flowcast.engine.session.SessionState;
import io.flowcast.engine.session.SessionTimers;
import io.flowcast.engine.startup.StartupHost;
import io.flowcast.engine.startup.StartupObserver;
import io.flowcast.engine.startup.StartupSession;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.DataAckBitmapChunk;
import io.flowcast.codec.rtmfp.DataAckRangesChunk;
import io.flowcast.codec.rtmfp.FlowChunk;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.crypto.PacketProtection;
import io.flowcast.engine.transport.DatagramHandler;
import io.flowcast.engine.transport.DatagramTransport;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * The single-threaded heart of an RTMFP endpoint, initiator and responder at once: the duty cycle and the dispatch.
 * Each duty cycle reads the clock once, runs queued application commands, polls the transport, fires due session
 * timers ({@link SessionTimers}) and flushes the sessions with something to send ({@link FlushQueue}). A datagram's
 * session ID is unscrambled (§2.2.2): ID 0 goes to the {@link StartupSession} (within the {@link StartupRateLimiter}'s
 * budget) under the Default Session Key; a known ID is decrypted in place under its session's keys and its chunks
 * dispatched to the {@link Session} and its {@link SessionFlows}. Bad packets are dropped and counted, never thrown.
 * One decoder and one set of chunk flyweights serve every session.
 */
final class EndpointAgent implements Agent, DatagramHandler, SessionOwner, StartupHost
{
    private static final int POLL_LIMIT = 256;

    private final EndpointContext context;
    private final DatagramTransport transport;
    private final NanoClock clock;
    private final SessionListener listener;
    private final StartupObserver startupObserver;
    private final EndpointCounters counters;
    private final ManyToOneConcurrentArrayQueue<Consumer<EndpointAgent>> commands;
    private final OneToOneConcurrentArrayQueue<Session> acceptQueue;
    private final Agent colocatedAgent;
    private final ClientBridge clientBridge;
    private final Consumer<Consumer<EndpointAgent>> commandRunner = (command) -> command.accept(this);

    private final SessionServices services;
    private final CachedNanoClock cachedClock;
    private final SessionTimers timers;
    private final FlushQueue flushQueue;
    private final SessionTable sessions = new SessionTable();
    private final StartupRateLimiter startupRateLimiter;
    private final StartupSession startup;

    private final PacketProtection defaultProtection = PacketProtection.defaultKey();
    private final PacketDecoder decoder = new PacketDecoder();
    private final UserDataChunk userDataChunk = new UserDataChunk();
    private final DataAckBitmapChunk bitmapAckChunk = new DataAckBitmapChunk();
    private final DataAckRangesChunk rangesAckChunk = new DataAckRangesChunk();
    private final FlowChunk flowChunk = new FlowChunk();

    EndpointAgent(
        final EndpointContext context,
        final DatagramTransport transport,
        final EndpointCounters counters,
        final NanoClock clock)
    {
        this.context = context;
        this.transport = transport;
        this.counters = counters;
        this.clock = clock;
        this.listener = context.listener();
        this.colocatedAgent = context.colocatedAgent();
        this.clientBridge = context.clientBridge();
        this.startupObserver = context.startupObserver();
        this.commands = new ManyToOneConcurrentArrayQueue<>(context.commandQueueCapacity());
        this.acceptQueue = context.acceptQueueCapacity() > 0 ?
            new OneToOneConcurrentArrayQueue<>(context.acceptQueueCapacity()) : null;
        this.services = new SessionServices(context, transport, counters, clock);
        services.owner(this);
        this.cachedClock = services.clock();
        this.timers = services.timers();
        this.flushQueue = services.flushQueue();
        this.startupRateLimiter = new StartupRateLimiter(context, counters, cachedClock.nanoTime());
        this.startup = new StartupSession(this);
    }

    @Override
    public String roleName()
    {
        return "flowcast-rtmfp-endpoint";
    }

    @Override
    public int doWork() throws Exception
    {
        final long nowNs = clock.nanoTime();
        cachedClock.update(nowNs);
        int work = commands.drain(commandRunner, 16);
        work += transport.poll(this, POLL_LIMIT);
        work += transport.doWork(nowNs);
        work += timers.poll(nowNs);
        if (null != clientBridge)
        {
            work += clientBridge.agentWork();
        }
        work += flushQueue.flush();
        if (null != colocatedAgent)
        {
            work += colocatedAgent.doWork();
        }
        return work;
    }

    @Override
    public void onStart()
    {
        if (null != colocatedAgent)
        {
            colocatedAgent.onStart();
        }
    }

    @Override
    public void onClose()
    {
        if (null != colocatedAgent)
        {
            colocatedAgent.onClose();
        }
        cachedClock.update(clock.nanoTime());
        for (final Session session : sessions.sessionsSnapshot())
        {
            session.abort(CloseReason.LOCAL_ABORT);
        }
        for (final Session session : sessions.openingsSnapshot())
        {
            session.openFailed(CloseReason.LOCAL_ABORT);
        }
    }

    // ------------------------------------------------------------------------------------ application commands

    /**
     * Enqueue a command from any thread.
     *
     * @param command run on the agent thread.
     * @return false when the queue is full.
     */
    boolean offer(final Consumer<EndpointAgent> command)
    {
        return commands.offer(command);
    }

    long connect(final byte[] endpointDiscriminator, final List<InetSocketAddress> candidates)
    {
        return startup.connect(endpointDiscriminator, candidates);
    }

    /**
     * Orderly close of every session (endpoint shutdown).
     */
    void closeAll()
    {
        for (final Session session : sessions.sessionsSnapshot())
        {
            session.closeForShutdown();
        }
        for (final Session session : sessions.openingsSnapshot())
        {
            session.close();
        }
    }

    Session pollAccepted()
    {
        return null == acceptQueue ? null : acceptQueue.poll();
    }

    int sessionCount()
    {
        return sessions.size();
    }

    int openingCount()
    {
        return sessions.openingCount();
    }

    byte[] fingerprint()
    {
        return startup.fingerprint();
    }

    // ---------------------------------------------------------------------------------------------------- receive

    @Override
    public void onDatagram(
        final MutableDirectBuffer buffer, final int offset, final int length, final InetSocketAddress source,
        final int channel)
    {
        counters.datagramsIn.incrementRelease();
        counters.bytesIn.getAndAddRelease(length);
        final long sessionId = Multiplex.sessionId(buffer, offset, length);
        if (sessionId < 0)
        {
            counters.dropTruncated.incrementRelease();
            return;
        }
        if (Multiplex.STARTUP_SESSION_ID == sessionId)
        {
            if (startupRateLimiter.admit(source.getAddress(), cachedClock.nanoTime()) &&
                decrypt(defaultProtection, buffer, offset, length))
            {
                startup.onPacket(decoder, source, channel);
            }
            return;
        }
        final Session session = sessions.byId((int)sessionId);
        if (null == session)
        {
            counters.dropUnknownSession.incrementRelease();
            return;
        }
        if (SessionState.KEYING_SENT == session.state())
        {
            // §3.5.1.1.1: RIKeying arrives under the Default Session Key with our session ID
            if (decrypt(defaultProtection, buffer, offset, length))
            {
                startup.onKeyingSentPacket(session, decoder);
            }
            return;
        }
        final PacketProtection protection = session.protection();
        if (null == protection)
        {
            counters.dropWrongState.incrementRelease();
            return;
        }
        if (decrypt(protection, buffer, offset, length))
        {
            session.onPacket(decoder, length);
            onSessionChunks(session, source, channel);
        }
    }

    private boolean decrypt(
        final PacketProtection protection, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final int packetLength = protection.decrypt(buffer, offset, length);
        if (packetLength < 0)
        {
            counters.decryptFailed(packetLength);
            return false;
        }
        if (RtmfpError.OK != decoder.wrap(buffer, protection.packetOffset(), packetLength))
        {
            counters.dropMalformedPacket.incrementRelease();
            return false;
        }
        return true;
    }

    private void onSessionChunks(final Session session, final InetSocketAddress source, final int channel)
    {
        final SessionFlows flows = SessionState.OPEN == session.state() ? session.flows() : null;
        if (null != flows)
        {
            flows.beginPacket(decoder.timeCriticalReverse());
        }
        int type;
        while ((type = decoder.next()) != PacketDecoder.END)
        {
            switch (type)
            {
                case ChunkType.USER_DATA:
                case ChunkType.NEXT_USER_DATA:
                    if (null == flows || userDataChunk.wrap(decoder) < 0)
                    {
                        counters.userDataDropped.incrementRelease();
                    }
                    else
                    {
                        flows.onUserData(userDataChunk);
                    }
                    break;
                case ChunkType.DATA_ACK_BITMAP:
                    if (null != flows && bitmapAckChunk.wrap(decoder) >= 0)
                    {
                        flows.onAckBitmap(bitmapAckChunk);
                    }
                    else
                    {
                        counters.malformedChunks.incrementRelease();
                    }
                    break;
                case ChunkType.DATA_ACK_RANGES:
                    if (null != flows && rangesAckChunk.wrap(decoder) >= 0)
                    {
                        flows.onAckRanges(rangesAckChunk);
                    }
                    else
                    {
                        counters.malformedChunks.incrementRelease();
                    }
                    break;
                case ChunkType.BUFFER_PROBE:
                    if (null != flows && flowChunk.wrap(decoder) >= 0)
                    {
                        flows.onBufferProbe(flowChunk.flowId());
                    }
                    break;
                case ChunkType.FLOW_EXCEPTION_REPORT:
                    if (null != flows && flowChunk.wrap(decoder) >= 0)
                    {
                        flows.onFlowException(flowChunk.flowId(), flowChunk.exception());
                    }
                    break;
                case ChunkType.PING:
                    session.onPing(decoder);
                    break;
                case ChunkType.PING_REPLY:
                    session.onPingReply(decoder, source, channel);
                    break;
                case ChunkType.SESSION_CLOSE_REQUEST:
                    session.onCloseRequest();
                    break;
                case ChunkType.SESSION_CLOSE_ACK:
                    session.onCloseAck();
                    return;
                case ChunkType.PADDING_00:
                case ChunkType.PADDING_FF:
                    break;
                default:
                    counters.ignoredChunks.incrementRelease();
                    break;
            }
        }
        if (null != flows && SessionState.OPEN == session.state())
        {
            flows.endPacket();
        }
        session.onPacketEnd(source, channel);
    }

    // ------------------------------------------------------------------------------------------- SessionOwner

    @Override
    public void onOpened(final Session session)
    {
        counters.sessionsOpen.incrementRelease();
        counters.sessionsOpened.incrementRelease();
        if (session.isInitiator() && null != startupObserver)
        {
            try
            {
                startupObserver.opened(session);
            }
            catch (final RuntimeException ex)
            {
                services.listenerFailed(ex);
            }
        }
        if (null != listener)
        {
            try
            {
                listener.onSessionOpened(session);
            }
            catch (final RuntimeException ex)
            {
                services.listenerFailed(ex);
            }
        }
        if (!session.isInitiator() && null != acceptQueue && !acceptQueue.offer(session))
        {
            counters.handshakesRefusedLimit.incrementRelease();
            session.abort(CloseReason.LIMIT);
        }
    }

    @Override
    public void onClosed(final Session session, final CloseReason reason)
    {
        counters.sessionsOpen.decrementRelease();
        if (null != listener)
        {
            try
            {
                listener.onSessionClosed(session, reason);
            }
            catch (final RuntimeException ex)
            {
                services.listenerFailed(ex);
            }
        }
    }

    @Override
    public void onReleased(final Session session)
    {
        sessions.unregister(session);
    }

    @Override
    public void onOpenFailed(final long openId, final CloseReason reason)
    {
        if (null != startupObserver)
        {
            try
            {
                startupObserver.failed(openId, reason);
            }
            catch (final RuntimeException ex)
            {
                services.listenerFailed(ex);
            }
        }
        if (null != listener)
        {
            try
            {
                listener.onOpenFailed(openId, reason);
            }
            catch (final RuntimeException ex)
            {
                services.listenerFailed(ex);
            }
        }
    }

    @Override
    public void onAddressChanged(final Session session, final InetSocketAddress from)
    {
        sessions.moved(session, from);
    }

    @Override
    public void onStartupTimer(final Session session)
    {
        startup.onTimer(session);
    }

    // -------------------------------------------------------------------------------------------- StartupHost

    @Override
    public SessionServices services()
    {
        return services;
    }

    @Override
    public SessionTable sessions()
    {
        return sessions;
    }
}
