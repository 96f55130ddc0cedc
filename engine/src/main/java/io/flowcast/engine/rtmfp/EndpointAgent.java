package io.flowcast.engine.rtmfp;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.Address;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.crypto.Certificate;
import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.PacketProtection;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.transport.DatagramHandler;
import io.flowcast.engine.transport.DatagramTransport;
import org.agrona.BufferUtil;
import org.agrona.DeadlineTimerWheel;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Hashing;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.agrona.DeadlineTimerWheel.NULL_DEADLINE;

/**
 * The single-threaded heart of an RTMFP endpoint: initiator and responder at once (startup lives in
 * {@link StartupResponder} and {@link StartupInitiator}; this class owns receive, open sessions, timers and send).
 * Each duty cycle runs queued application commands, polls the transport (unscramble the session ID; session 0 →
 * Default Session Key and the startup chunks of §3.5.1; otherwise look the session up, decrypt in place under its keys
 * and dispatch its chunks), and expires timers from one {@link DeadlineTimerWheel}. Bad packets are dropped and counted, never thrown.
 * One decoder, one set of chunk flyweights, one assembler and one send buffer serve every session.
 */
final class EndpointAgent implements Agent, DatagramHandler, DeadlineTimerWheel.TimerHandler
{
    private static final int SEND_BUFFER_LENGTH = PacketProtection.MAX_DATAGRAM_LENGTH;
    private static final int PACKET_LIMIT = SEND_BUFFER_LENGTH - PacketProtection.MAX_OVERHEAD - 64;
    private static final long NS_PER_TICK = TimeUnit.MILLISECONDS.toNanos(4);
    private static final long TS_RX_MAX_AGE_NS = TimeUnit.SECONDS.toNanos(128);
    private static final long MAX_HELLO_INTERVAL_NS = TimeUnit.SECONDS.toNanos(30);
    static final UnsafeBuffer SIGNATURE = new UnsafeBuffer(new byte[]{ 'X' });
    private static final int POLL_LIMIT = 256;
    /** How often a busy agent polls its timer wheel (whose ticks are 2^20 ns). */
    private static final long TIMER_POLL_INTERVAL_NS = 250_000;
    private static final int STARTUP_ADDRESS_BUCKETS = 1024;
    private static final byte MOBILITY_MARK = 'M';
    private static final long MOBILITY_PROBE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long MOBILITY_REPLY_MAX_AGE_NS = TimeUnit.SECONDS.toNanos(120);
    private static final Logger LOG = Logger.getLogger(EndpointAgent.class.getName());

    final EndpointContext context;
    private final DatagramTransport transport;
    private final NanoClock clock;
    private final org.agrona.concurrent.EpochClock epochClock;
    final SessionKeying keying;
    final SecureRandom random;
    private final SessionListener listener;
    final StartupObserver startupObserver;
    final EndpointCounters counters;
    private final KeyLog.Writer keyLog;
    private final ManyToOneConcurrentArrayQueue<Consumer<EndpointAgent>> commands;
    private final OneToOneConcurrentArrayQueue<Session> acceptQueue;
    private final Agent colocatedAgent;
    private final ClientBridge clientBridge;
    private final Consumer<Consumer<EndpointAgent>> commandRunner = (command) -> command.accept(this);

    private final PacketProtection defaultProtection = PacketProtection.defaultKey();
    final PacketDecoder decoder = new PacketDecoder();
    final PacketAssembler assembler = new PacketAssembler();
    /** Plaintext bound of packets carrying flows, so their datagrams stay under a 1,280-byte path MTU (§3.5.4.3). */
    static final int DATA_PACKET_LIMIT = 1152;
    final org.agrona.ExpandableArrayBuffer assemblyBuffer = new org.agrona.ExpandableArrayBuffer(64 * 1024);
    long lastTimeCriticalSentNs = Long.MIN_VALUE / 2;
    private final io.flowcast.codec.rtmfp.UserDataChunk userDataChunk = new io.flowcast.codec.rtmfp.UserDataChunk();
    private final io.flowcast.codec.rtmfp.DataAckBitmapChunk bitmapAckChunk =
        new io.flowcast.codec.rtmfp.DataAckBitmapChunk();
    private final io.flowcast.codec.rtmfp.DataAckRangesChunk rangesAckChunk =
        new io.flowcast.codec.rtmfp.DataAckRangesChunk();
    private final io.flowcast.codec.rtmfp.FlowChunk flowChunk = new io.flowcast.codec.rtmfp.FlowChunk();
    private Session[] flushQueue = new Session[64];
    private int flushCount;
    final Certificate ourCertificate = new Certificate();
    final byte[] ourCertificateBytes;
    final UnsafeBuffer ourCertificateBuffer;
    final byte[] ourFingerprint;
    private final UnsafeBuffer mobilityMessage = new UnsafeBuffer(new byte[1 + Session.MOBILITY_NONCE_LENGTH]);
    final UnsafeBuffer sendBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(SEND_BUFFER_LENGTH, 64));
    /** CBC work arrays shared by every session's protection: crypto runs only on this thread (16 KB per session). */
    final io.flowcast.crypto.PacketProtection.Scratch protectionScratch =
        new io.flowcast.crypto.PacketProtection.Scratch();
    private final StartupResponder responder;
    private final StartupInitiator initiator;

    final Int2ObjectHashMap<Session> sessionsById = new Int2ObjectHashMap<>();
    final HashMap<InetSocketAddress, Session> sessionsByAddress = new HashMap<>();
    final ArrayList<Session> openings = new ArrayList<>();
    final Object2IntHashMap<InetAddress> sessionsPerAddress = new Object2IntHashMap<>(0);
    private final Long2ObjectHashMap<Session> sessionsByTimer = new Long2ObjectHashMap<>();
    private final DeadlineTimerWheel timerWheel;
    private long nextTimerPollNs;
    private final long epochNs;

    long nowNs;
    private long startupWindowStartNs;
    private int startupPacketsInWindow;
    private final int[] startupPacketsPerAddressBucket = new int[STARTUP_ADDRESS_BUCKETS];

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
        this.epochClock = context.epochClock();
        this.keying = context.keying();
        this.random = context.random();
        this.listener = context.listener();
        this.colocatedAgent = context.colocatedAgent();
        this.clientBridge = context.clientBridge();
        this.startupObserver = context.startupObserver();
        this.keyLog = context.keyLog();
        this.commands = new ManyToOneConcurrentArrayQueue<>(context.commandQueueCapacity());
        this.acceptQueue = context.acceptQueueCapacity() > 0 ?
            new OneToOneConcurrentArrayQueue<>(context.acceptQueueCapacity()) : null;
        this.ourCertificateBytes = keying.certificate();
        this.ourCertificateBuffer = new UnsafeBuffer(ourCertificateBytes);
        ourCertificate.wrap(ourCertificateBuffer, 0, ourCertificateBytes.length);
        this.ourFingerprint = ourCertificate.fingerprint();
        this.responder = new StartupResponder(this);
        this.initiator = new StartupInitiator(this);
        this.epochNs = clock.nanoTime();
        this.nowNs = epochNs;
        this.startupWindowStartNs = epochNs;
        this.timerWheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, epochNs, 1L << 20, 512);
    }

    @Override
    public String roleName()
    {
        return "flowcast-rtmfp-endpoint";
    }

    @Override
    public int doWork() throws Exception
    {
        nowNs = clock.nanoTime();
        int work = commands.drain(commandRunner, 16);
        work += transport.poll(this, POLL_LIMIT);
        work += transport.doWork(nowNs);
        if (timerWheel.timerCount() > 0)
        {
            // the wheel scans its whole current tick on every poll; its resolution is ~1 ms, so a busy agent polls it
            // every TIMER_POLL_INTERVAL_NS rather than on every duty cycle (again at once while timers are expiring)
            if (nowNs - nextTimerPollNs >= 0)
            {
                final int expired = timerWheel.poll(nowNs, this, POLL_LIMIT);
                nextTimerPollNs = expired > 0 ? nowNs : nowNs + TIMER_POLL_INTERVAL_NS;
                work += expired;
            }
        }
        else
        {
            timerWheel.currentTickTime(nowNs);
        }
        if (null != clientBridge)
        {
            work += clientBridge.agentWork();
        }
        work += flushSessions();
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
        nowNs = clock.nanoTime();
        for (final Session session : new ArrayList<>(sessionsById.values()))
        {
            abort(session, CloseReason.LOCAL_ABORT);
        }
        for (final Session session : new ArrayList<>(openings))
        {
            openFailed(session, CloseReason.LOCAL_ABORT);
        }
    }

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
        return initiator.connect(endpointDiscriminator, candidates);
    }

    Session openingTo(final InetSocketAddress address)
    {
        return initiator.openingTo(address);
    }

    int sessionCount()
    {
        return sessionsById.size();
    }

    int openingCount()
    {
        return openings.size();
    }

    byte[] fingerprint()
    {
        return ourFingerprint.clone();
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
            onStartupDatagram(buffer, offset, length, source, channel);
            return;
        }
        final Session session = sessionsById.get((int)sessionId);
        if (null == session)
        {
            counters.dropUnknownSession.incrementRelease();
            return;
        }
        if (SessionState.KEYING_SENT == session.state)
        {
            // §3.5.1.1.1: RIKeying arrives under the Default Session Key with our session ID
            final int packetLength = defaultProtection.decrypt(buffer, offset, length);
            if (packetLength < 0)
            {
                counters.decryptFailed(packetLength);
                return;
            }
            if (RtmfpError.OK != decoder.wrap(buffer, defaultProtection.packetOffset(), packetLength))
            {
                counters.dropMalformedPacket.incrementRelease();
                return;
            }
            initiator.onKeyingSentPacket(session);
            return;
        }
        final PacketProtection protection = session.protection;
        if (null == protection)
        {
            counters.dropWrongState.incrementRelease();
            return;
        }
        final int packetLength = protection.decrypt(buffer, offset, length);
        if (packetLength < 0)
        {
            counters.decryptFailed(packetLength);
            return;
        }
        if (RtmfpError.OK != decoder.wrap(buffer, protection.packetOffset(), packetLength))
        {
            counters.dropMalformedPacket.incrementRelease();
            return;
        }
        session.countIn(length);
        onSessionPacket(session, source, channel);
    }

    private void onStartupDatagram(
        final MutableDirectBuffer buffer, final int offset, final int length, final InetSocketAddress source,
        final int channel)
    {
        if (nowNs - startupWindowStartNs >= TimeUnit.SECONDS.toNanos(1))
        {
            startupWindowStartNs = nowNs;
            startupPacketsInWindow = 0;
            Arrays.fill(startupPacketsPerAddressBucket, 0);
        }
        if (++startupPacketsInWindow > context.startupPacketsPerSecond())
        {
            counters.dropRateLimited.incrementRelease();
            return;
        }
        // per source IP, in hashed buckets (no allocation; a collision only makes two addresses share a budget)
        final int bucket = Hashing.hash(source.getAddress().hashCode(), STARTUP_ADDRESS_BUCKETS - 1);
        if (++startupPacketsPerAddressBucket[bucket] > context.startupPacketsPerSecondPerAddress())
        {
            counters.dropRateLimitedPerAddress.incrementRelease();
            return;
        }
        final int packetLength = defaultProtection.decrypt(buffer, offset, length);
        if (packetLength < 0)
        {
            counters.decryptFailed(packetLength);
            return;
        }
        if (RtmfpError.OK != decoder.wrap(buffer, defaultProtection.packetOffset(), packetLength))
        {
            counters.dropMalformedPacket.incrementRelease();
            return;
        }
        int type;
        while ((type = decoder.next()) != PacketDecoder.END)
        {
            switch (type)
            {
                case ChunkType.IHELLO:
                    responder.onIHello(source, channel);
                    break;
                case ChunkType.RHELLO:
                    initiator.onRHello(source, channel);
                    break;
                case ChunkType.IIKEYING:
                    responder.onIIKeying(source, channel);
                    break;
                case ChunkType.REDIRECT:
                    initiator.onRedirect(source);
                    break;
                case ChunkType.RHELLO_COOKIE_CHANGE:
                    initiator.onCookieChange();
                    break;
                case ChunkType.PADDING_00:
                case ChunkType.PADDING_FF:
                    break;
                default:
                    counters.ignoredChunks.incrementRelease();
                    break;
            }
        }
    }

    // -------------------------------------------------------------------------------------------- open session

    void enterOpen(final Session session)
    {
        session.state = SessionState.OPEN;
        session.wasOpen = true;
        session.stateEnteredNs = nowNs;
        session.lastReceiveNs = nowNs;
        session.nextPingNs = 0;
        counters.sessionsOpen.incrementRelease();
        counters.sessionsOpened.incrementRelease();
        counters.allocate(session);
        session.flows = new SessionFlows(session, this, counters, context);
        session.flows.listener = session.flowListener;
        schedule(session, nowNs + context.keepaliveIntervalNs());
        if (session.initiator && null != startupObserver)
        {
            try
            {
                startupObserver.opened(session);
            }
            catch (final RuntimeException ex)
            {
                listenerFailed(ex);
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
                listenerFailed(ex);
            }
        }
        if (!session.initiator && null != acceptQueue && !acceptQueue.offer(session))
        {
            counters.handshakesRefusedLimit.incrementRelease();
            abort(session, CloseReason.LIMIT);
        }
    }

    Session pollAccepted()
    {
        return null == acceptQueue ? null : acceptQueue.poll();
    }

    private void onSessionPacket(final Session session, final InetSocketAddress source, final int channel)
    {
        if (null != session.riKeyingChunk)
        {
            // §3.5.1.1.2: the initiator has our keys, so it will not retransmit IIKeying; free what answered it
            session.riKeyingChunk = null;
            session.skicBytes = null;
        }
        session.lastReceiveNs = nowNs;
        session.nextPingNs = 0;
        if (decoder.hasTimestamp())
        {
            final int timestamp = decoder.timestamp();
            if (timestamp != session.tsRx)
            {
                session.tsRx = timestamp;
                session.tsRxTimeNs = nowNs;
            }
        }
        if (decoder.hasTimestampEcho())
        {
            final int echo = decoder.timestampEcho();
            if (echo != session.tsEchoRx)
            {
                session.tsEchoRx = echo;
                final int rttTicks = (timestamp() - echo) & 0xFFFF;
                if (rttTicks <= 32767)
                {
                    session.rttSample(rttTicks * 4L);
                    counters.rttSamples.incrementRelease();
                }
            }
        }
        final SessionFlows flows = SessionState.OPEN == session.state ? session.flows : null;
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
                    if (SessionState.OPEN == session.state)
                    {
                        sendPingReply(session);
                    }
                    break;
                case ChunkType.PING_REPLY:
                    onPingReply(session, source, channel);
                    break;
                case ChunkType.SESSION_CLOSE_REQUEST:
                    onCloseRequest(session);
                    break;
                case ChunkType.SESSION_CLOSE_ACK:
                    onCloseAck(session);
                    return;
                case ChunkType.PADDING_00:
                case ChunkType.PADDING_FF:
                    break;
                default:
                    counters.ignoredChunks.incrementRelease();
                    break;
            }
        }
        if (null != flows && SessionState.OPEN == session.state)
        {
            flows.endPacket();
        }
        if (SessionState.OPEN == session.state && !source.equals(session.farAddress) &&
            nowNs - session.mobilityProbeNs >= MOBILITY_PROBE_INTERVAL_NS)
        {
            sendMobilityProbe(session, source, channel);
        }
    }

    /**
     * §3.5.4.2: the far end seems to have moved; ping the new address with a fresh secret nonce, and move DESTADDR
     * only when a Ping Reply carrying it comes back from there.
     */
    private void sendMobilityProbe(final Session session, final InetSocketAddress source, final int channel)
    {
        session.mobilityProbeNs = nowNs;
        session.mobilityProbeAddress = source;
        if (null == session.mobilityNonce)
        {
            session.mobilityNonce = new byte[Session.MOBILITY_NONCE_LENGTH];
        }
        random.nextBytes(session.mobilityNonce);
        mobilityMessage.putByte(0, MOBILITY_MARK);
        mobilityMessage.putBytes(1, session.mobilityNonce);
        if (beginSessionPacket(session) &&
            assembler.appendPing(ChunkType.PING, mobilityMessage, 0, mobilityMessage.capacity()) > 0)
        {
            sendSessionPacket(session, channel, source);
            counters.pingsSent.incrementRelease();
        }
    }

    private void onPingReply(final Session session, final InetSocketAddress source, final int channel)
    {
        final org.agrona.DirectBuffer message = decoder.buffer();
        final int offset = decoder.payloadOffset();
        if (0 == decoder.payloadLength() && 0 != session.pingSentNs)
        {
            session.pingRttNs = clock.nanoTime() - session.pingSentNs; // fresh: a loopback reply can beat the cycle
            session.pingSentNs = 0;
            session.pingRepliesReceived++;
            return;
        }
        if (null == session.mobilityProbeAddress || decoder.payloadLength() != mobilityMessage.capacity() ||
            MOBILITY_MARK != message.getByte(offset) || !source.equals(session.mobilityProbeAddress) ||
            nowNs - session.mobilityProbeNs > MOBILITY_REPLY_MAX_AGE_NS)
        {
            return;
        }
        for (int i = 0; i < session.mobilityNonce.length; i++)
        {
            if (session.mobilityNonce[i] != message.getByte(offset + 1 + i))
            {
                return;
            }
        }
        session.mobilityProbeAddress = null;
        sessionsByAddress.remove(session.farAddress, session);
        decrementAddressCount(session.farAddress.getAddress());
        session.farAddress = source;
        session.channel = channel;
        sessionsByAddress.put(source, session);
        sessionsPerAddress.put(source.getAddress(), sessionsPerAddress.getValue(source.getAddress()) + 1);
        counters.addressChanges.incrementRelease();
    }

    private void decrementAddressCount(final InetAddress ip)
    {
        final int remaining = sessionsPerAddress.getValue(ip) - 1;
        if (remaining <= 0)
        {
            sessionsPerAddress.removeKey(ip);
        }
        else
        {
            sessionsPerAddress.put(ip, remaining);
        }
    }

    private void sendPingReply(final Session session)
    {
        final int messageOffset = decoder.payloadOffset();
        final int messageLength = decoder.payloadLength();
        if (beginSessionPacket(session) &&
            assembler.appendPing(ChunkType.PING_REPLY, decoder.buffer(), messageOffset, messageLength) > 0)
        {
            sendSessionPacket(session);
            counters.pingRepliesSent.incrementRelease();
        }
    }

    /**
     * An application's Ping (RtmfpEndpoint#ping): its Ping Reply's arrival time gives {@link Session#pingRttNanos()}.
     */
    void ping(final Session session)
    {
        if (SessionState.OPEN == session.state)
        {
            sendPing(session);
            session.pingSentNs = clock.nanoTime();
        }
    }

    void sendPing(final Session session)
    {
        if (beginSessionPacket(session) && assembler.appendPing(ChunkType.PING, null, 0, 0) > 0)
        {
            sendSessionPacket(session);
            counters.pingsSent.incrementRelease();
        }
    }

    private void sendClose(final Session session, final int type)
    {
        if (null != session.protection && beginSessionPacket(session) && assembler.appendSessionClose(type) > 0)
        {
            sendSessionPacket(session);
        }
    }

    private void onCloseRequest(final Session session)
    {
        // §3.5.5: acknowledge in S_OPEN, S_NEARCLOSE and S_FARCLOSE_LINGER; S_OPEN moves to S_FARCLOSE_LINGER
        sendClose(session, ChunkType.SESSION_CLOSE_ACK);
        if (SessionState.OPEN == session.state)
        {
            leaveOpen(session, SessionState.FARCLOSE_LINGER, CloseReason.REMOTE_CLOSE);
            counters.sessionsClosedOrderly.incrementRelease();
            reschedule(session, nowNs + context.farCloseLingerNs());
        }
    }

    private void onCloseAck(final Session session)
    {
        switch (session.state)
        {
            case OPEN:
                leaveOpen(session, SessionState.CLOSED, CloseReason.REMOTE_ABORT);
                counters.sessionsClosedAbrupt.incrementRelease();
                release(session);
                break;
            case NEARCLOSE:
                counters.sessionsClosedOrderly.incrementRelease();
                release(session);
                break;
            case FARCLOSE_LINGER:
                release(session);
                break;
            default:
                break;
        }
    }

    /**
     * Orderly close (§3.5.5): S_NEARCLOSE, Close Request now and every 5 s until acknowledged or 90 s pass.
     */
    void close(final Session session)
    {
        switch (session.state)
        {
            case OPEN:
                leaveOpen(session, SessionState.NEARCLOSE, CloseReason.LOCAL_CLOSE);
                sendClose(session, ChunkType.SESSION_CLOSE_REQUEST);
                session.nextCloseRequestNs = nowNs + context.closeRequestIntervalNs();
                reschedule(session, session.nextCloseRequestNs);
                break;
            case IHELLO_SENT:
            case KEYING_SENT:
                openFailed(session, CloseReason.LOCAL_ABORT);
                break;
            default:
                break;
        }
    }

    /**
     * Orderly close of every session (endpoint shutdown).
     */
    void closeAll()
    {
        for (final Session session : new ArrayList<>(sessionsById.values()))
        {
            if (SessionState.FARCLOSE_LINGER == session.state)
            {
                release(session); // the far end already closed; nobody is left to answer for
            }
            else
            {
                close(session);
            }
        }
        for (final Session session : new ArrayList<>(openings))
        {
            close(session);
        }
    }

    /**
     * Abrupt close (§3.5.5): send a Session Close Acknowledgement, then S_CLOSED.
     */
    void abort(final Session session, final CloseReason reason)
    {
        switch (session.state)
        {
            case OPEN:
            case NEARCLOSE:
            case FARCLOSE_LINGER:
                sendClose(session, ChunkType.SESSION_CLOSE_ACK);
                if (SessionState.OPEN == session.state)
                {
                    leaveOpen(session, SessionState.CLOSED, reason);
                    if (CloseReason.DEAD_PEER == reason)
                    {
                        counters.sessionsDeadPeer.incrementRelease();
                    }
                    else
                    {
                        counters.sessionsClosedAbrupt.incrementRelease();
                    }
                }
                release(session);
                break;
            case IHELLO_SENT:
            case KEYING_SENT:
                openFailed(session, reason);
                break;
            default:
                break;
        }
    }

    private void leaveOpen(final Session session, final SessionState next, final CloseReason reason)
    {
        if (null != session.flows)
        {
            session.flows.close();
        }
        session.state = next;
        session.stateEnteredNs = nowNs;
        counters.sessionsOpen.decrementRelease();
        if (null != listener)
        {
            try
            {
                listener.onSessionClosed(session, reason);
            }
            catch (final RuntimeException ex)
            {
                listenerFailed(ex);
            }
        }
    }

    void openFailed(final Session session, final CloseReason reason)
    {
        session.state = SessionState.OPEN_FAILED;
        if (CloseReason.OPEN_TIMEOUT == reason)
        {
            counters.handshakesTimedOut.incrementRelease();
        }
        release(session);
        notifyOpenFailed(session.openId, reason);
    }

    void notifyOpenFailed(final long openId, final CloseReason reason)
    {
        if (null != startupObserver)
        {
            try
            {
                startupObserver.failed(openId, reason);
            }
            catch (final RuntimeException ex)
            {
                listenerFailed(ex);
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
                listenerFailed(ex);
            }
        }
    }

    void listenerFailed(final RuntimeException ex)
    {
        // an application bug must not abandon protocol state half-updated: count it, log the first
        if (0 == counters.listenerErrors.incrementRelease())
        {
            LOG.log(Level.WARNING, "SessionListener threw (logged once, counted)", ex);
        }
    }

    private void release(final Session session)
    {
        if (SessionState.OPEN_FAILED != session.state)
        {
            session.state = SessionState.CLOSED;
        }
        cancelTimer(session);
        if (session.registered)
        {
            sessionsById.remove(session.localSessionId);
            sessionsByAddress.remove(session.farAddress, session);
            decrementAddressCount(session.farAddress.getAddress());
            session.registered = false;
        }
        openings.remove(session);
        counters.free(session);
        session.protection = null;
        session.initiation = null;
        session.riKeyingChunk = null;
    }

    io.flowcast.crypto.PacketProtection protection(final io.flowcast.crypto.SessionKeying.Result result)
    {
        return new io.flowcast.crypto.PacketProtection(result.send(), result.receive(), protectionScratch);
    }

    void register(final Session session)
    {
        sessionsById.put(session.localSessionId, session);
        sessionsByAddress.put(session.farAddress, session);
        sessionsPerAddress.put(session.farAddress.getAddress(),
            sessionsPerAddress.getValue(session.farAddress.getAddress()) + 1);
        session.registered = true;
    }

    // ------------------------------------------------------------------------------------------------- timers

    @Override
    public boolean onTimerExpiry(final TimeUnit timeUnit, final long now, final long timerId)
    {
        final Session session = sessionsByTimer.remove(timerId);
        if (null != session && session.timerId == timerId)
        {
            session.timerId = NULL_DEADLINE;
            session.timerDeadlineNs = Long.MAX_VALUE;
            onSessionTimer(session);
        }
        return true;
    }

    void onSessionTimer(final Session session)
    {
        final long now = nowNs;
        switch (session.state)
        {
            case IHELLO_SENT:
            {
                if (now - session.openDeadlineNs >= 0)
                {
                    openFailed(session, CloseReason.OPEN_TIMEOUT);
                    return;
                }
                long next = session.openDeadlineNs;
                for (int i = 0; i < session.candidateCount; i++)
                {
                    if (now - session.nextHelloNs[i] >= 0)
                    {
                        initiator.sendIHello(session, session.candidates[i]);
                        session.nextHelloNs[i] = now + session.helloIntervalNs[i];
                        session.helloIntervalNs[i] = Math.min(2 * session.helloIntervalNs[i], MAX_HELLO_INTERVAL_NS);
                    }
                    next = Math.min(next, session.nextHelloNs[i]);
                }
                schedule(session, next);
                break;
            }
            case KEYING_SENT:
            {
                if (now - session.openDeadlineNs >= 0)
                {
                    openFailed(session, CloseReason.OPEN_TIMEOUT);
                    return;
                }
                if (now - session.nextKeyingNs >= 0)
                {
                    initiator.sendIIKeying(session);
                    session.nextKeyingNs = now + session.keyingIntervalNs;
                    session.keyingIntervalNs = Math.min(2 * session.keyingIntervalNs, MAX_HELLO_INTERVAL_NS);
                }
                schedule(session, Math.min(session.nextKeyingNs, session.openDeadlineNs));
                break;
            }
            case OPEN:
            {
                final long deadAt = session.lastReceiveNs + context.deadPeerTimeoutNs();
                if (now - deadAt >= 0)
                {
                    abort(session, CloseReason.DEAD_PEER);
                    return;
                }
                final long idleAt = session.lastReceiveNs + session.effectiveKeepaliveNs(context.keepaliveIntervalNs());
                long next = idleAt;
                if (now - idleAt >= 0)
                {
                    // §3.5.4.1: keepalive Ping, not more often than once per ERTO, ERTO backed off while unanswered
                    if (0 == session.nextPingNs || now - session.nextPingNs >= 0)
                    {
                        if (0 != session.nextPingNs)
                        {
                            session.backOffErto();
                        }
                        sendPing(session);
                        session.nextPingNs = now + TimeUnit.MILLISECONDS.toNanos(session.ertoMs);
                    }
                    next = session.nextPingNs;
                }
                final SessionFlows flows = session.flows;
                if (null != flows)
                {
                    flows.onTimer(now);
                    if (SessionState.OPEN != session.state)
                    {
                        return;
                    }
                    next = Math.min(next, flows.nextAlarmNs());
                }
                schedule(session, Math.min(next, deadAt));
                break;
            }
            case NEARCLOSE:
            {
                final long giveUpAt = session.stateEnteredNs + context.nearCloseTimeoutNs();
                if (now - giveUpAt >= 0)
                {
                    release(session);
                    return;
                }
                if (now - session.nextCloseRequestNs >= 0)
                {
                    sendClose(session, ChunkType.SESSION_CLOSE_REQUEST);
                    session.nextCloseRequestNs = now + context.closeRequestIntervalNs();
                }
                schedule(session, Math.min(session.nextCloseRequestNs, giveUpAt));
                break;
            }
            case FARCLOSE_LINGER:
            {
                final long endAt = session.stateEnteredNs + context.farCloseLingerNs();
                if (now - endAt >= 0)
                {
                    release(session);
                    return;
                }
                schedule(session, endAt);
                break;
            }
            default:
                break;
        }
    }

    private void schedule(final Session session, final long deadlineNs)
    {
        cancelTimer(session);
        final long deadline = Math.max(deadlineNs, nowNs + 1);
        final long timerId = timerWheel.scheduleTimer(deadline);
        session.timerId = timerId;
        session.timerDeadlineNs = deadline;
        sessionsByTimer.put(timerId, session);
    }

    private void reschedule(final Session session, final long deadlineNs)
    {
        schedule(session, deadlineNs);
    }

    /**
     * Make sure the session's timer fires by {@code deadlineNs} (flows call it for their alarms).
     */
    void ensureTimer(final Session session, final long deadlineNs)
    {
        if (deadlineNs < session.timerDeadlineNs && SessionState.OPEN == session.state)
        {
            schedule(session, deadlineNs);
        }
    }

    void requestFlush(final Session session)
    {
        if (flushCount == flushQueue.length)
        {
            flushQueue = java.util.Arrays.copyOf(flushQueue, flushCount * 2);
        }
        flushQueue[flushCount++] = session;
    }

    /**
     * Send what the sessions with pending acknowledgements or data may send, once per duty cycle so that the
     * acknowledgements of a burst of received packets are consolidated (§3.6.3.4).
     */
    private int flushSessions()
    {
        final int count = flushCount;
        if (0 == count)
        {
            return 0;
        }
        for (int i = 0; i < count; i++)
        {
            final Session session = flushQueue[i];
            flushQueue[i] = null;
            if (null != session.flows && SessionState.OPEN == session.state)
            {
                session.flows.flush();
            }
        }
        // sessions re-queued while flushing sit after the first count entries
        final int requeued = flushCount - count;
        if (requeued > 0)
        {
            System.arraycopy(flushQueue, count, flushQueue, 0, requeued);
            java.util.Arrays.fill(flushQueue, requeued, flushCount, null);
        }
        flushCount = requeued;
        return count;
    }

    boolean beginFlowPacket(final Session session)
    {
        return beginSessionPacket(session, DATA_PACKET_LIMIT);
    }

    void sendFlowPacket(final Session session)
    {
        sendSessionPacket(session);
    }

    void cancelTimer(final Session session)
    {
        if (NULL_DEADLINE != session.timerId)
        {
            timerWheel.cancelTimer(session.timerId);
            sessionsByTimer.remove(session.timerId);
            session.timerId = NULL_DEADLINE;
            session.timerDeadlineNs = Long.MAX_VALUE;
        }
    }

    // --------------------------------------------------------------------------------------------------- send

    private int timestamp()
    {
        return (int)(((nowNs - epochNs) / NS_PER_TICK) & 0xFFFF);
    }

    void beginStartupPacket()
    {
        assembler.wrap(sendBuffer, defaultProtection.packetOffset(0), PACKET_LIMIT);
        assembler.begin(PacketDecoder.MODE_STARTUP, false, false, timestamp(), -1);
    }

    void sendStartupPacket(final int sessionId, final InetSocketAddress destination, final int channel)
    {
        final int datagramLength = defaultProtection.encrypt(sendBuffer, 0, assembler.finish());
        if (datagramLength < 0)
        {
            counters.sendDropped.incrementRelease();
            return;
        }
        Multiplex.scramble(sendBuffer, 0, datagramLength, sessionId);
        transmit(channel, datagramLength, destination);
    }

    private boolean beginSessionPacket(final Session session)
    {
        return beginSessionPacket(session, PACKET_LIMIT);
    }

    private boolean beginSessionPacket(final Session session, final int limit)
    {
        assembler.wrap(sendBuffer, session.protection.packetOffset(0), limit);
        // §3.5.2.2: timestamp when it changed since the last one sent; echo the far end's, aged by the time held
        final int now = timestamp();
        int timestamp = -1;
        if (now != session.tsTx)
        {
            session.tsTx = now;
            timestamp = now;
        }
        int echo = -1;
        if (session.tsRx >= 0)
        {
            final long elapsedNs = nowNs - session.tsRxTimeNs;
            if (elapsedNs > TS_RX_MAX_AGE_NS)
            {
                session.tsRx = -1;
                session.tsEchoTx = -1;
            }
            else
            {
                final int candidate = (int)((session.tsRx + elapsedNs / NS_PER_TICK) & 0xFFFF);
                if (candidate != session.tsEchoTx)
                {
                    session.tsEchoTx = candidate;
                    echo = candidate;
                }
            }
        }
        final int mode = session.initiator ? PacketDecoder.MODE_INITIATOR : PacketDecoder.MODE_RESPONDER;
        return assembler.begin(mode, false, false, timestamp, echo) > 0;
    }

    private void sendSessionPacket(final Session session)
    {
        sendSessionPacket(session, session.channel, session.farAddress);
    }

    private void sendSessionPacket(final Session session, final int channel, final InetSocketAddress destination)
    {
        final int datagramLength = session.protection.encrypt(sendBuffer, 0, assembler.finish());
        if (datagramLength < 0)
        {
            counters.sendDropped.incrementRelease();
            return;
        }
        Multiplex.scramble(sendBuffer, 0, datagramLength, session.farSessionId);
        session.countOut(datagramLength);
        transmit(channel, datagramLength, destination);
    }

    private void transmit(final int channel, final int length, final InetSocketAddress destination)
    {
        final int rc = transport.send(channel, sendBuffer, 0, length, destination);
        if (DatagramTransport.SENT == rc)
        {
            counters.datagramsOut.incrementRelease();
            counters.bytesOut.getAndAddRelease(length);
        }
        else
        {
            counters.sendDropped.incrementRelease();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    long nowSeconds()
    {
        return epochClock.time() / 1000;
    }

    int newSessionId()
    {
        int id;
        do
        {
            id = random.nextInt();
        }
        while (0 == id || sessionsById.containsKey(id));
        return id;
    }


    static InetSocketAddress toSocketAddress(final org.agrona.DirectBuffer buffer, final int offset)
    {
        final byte[] ip = new byte[Address.ipLength(buffer, offset)];
        buffer.getBytes(offset + Address.IP_OFFSET, ip);
        try
        {
            return new InetSocketAddress(InetAddress.getByAddress(ip), Address.port(buffer, offset));
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }

    static boolean sameBytes(
        final UnsafeBuffer expected, final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        if (expected.capacity() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (expected.getByte(i) != buffer.getByte(offset + i))
            {
                return false;
            }
        }
        return true;
    }

    static byte[] copy(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    void logKeys(final Session session, final SessionKeying.Result result)
    {
        if (null != keyLog)
        {
            try
            {
                keyLog.session(
                    (session.initiator ? "initiator to " : "responder for ") + session.farAddress,
                    session.farSessionId, result.send(), session.localSessionId, result.receive());
            }
            catch (final RuntimeException ex)
            {
                // a failing debug log must not break the session
            }
        }
    }
}
