package io.flowcast.engine.session;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.flow.SessionFlows;
import io.flowcast.engine.startup.Opening;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static org.agrona.DeadlineTimerWheel.NULL_DEADLINE;

/**
 * One RTMFP session (RFC 7016 §3.5), initiator or responder, owned by the endpoint's agent thread, and its state
 * machine: keepalive and dead peer (§3.5.4.1), address mobility (§3.5.4.2), Ping, orderly and abrupt close (§3.5.5),
 * with one timer ({@link SessionTimers}) whose rule depends on the state. Startup creates it and keys it; the agent
 * hands it the chunks of its packets. Applications see it in {@link SessionListener} callbacks; its accessors are
 * meant to be read on the agent thread (from another thread they are racy snapshots). Close it with
 * {@link RtmfpEndpoint#close(Session)}.
 */
public final class Session extends SessionIdentity
{
    /** Index of a per-session counter (see {@link #counterValue}). */
    public static final int DATAGRAMS_IN = 0;
    /** Index of a per-session counter. */
    public static final int BYTES_IN = 1;
    /** Index of a per-session counter. */
    public static final int DATAGRAMS_OUT = 2;
    /** Index of a per-session counter. */
    public static final int BYTES_OUT = 3;
    /** Index of a per-session counter. */
    public static final int CWND = 4;
    /** Index of a per-session counter. */
    public static final int BYTES_IN_FLIGHT = 5;
    /** Index of a per-session counter. */
    public static final int SRTT_MICROS = 6;
    /** Index of a per-session counter. */
    public static final int RETRANSMISSIONS = 7;
    /** Counters each session takes in the endpoint's counters manager. */
    public static final int COUNTERS = 8;
    static final FlowOptions DEFAULT_FLOW_OPTIONS = new FlowOptions();

    private final SessionServices services;
    private SessionState state;

    private final MobilityProbe mobility = new MobilityProbe();
    private final Keepalive keepalive;

    // flows (§3.6), from S_OPEN on
    private SessionFlows flows;
    private FlowListener flowListener;

    // the timer (SessionTimers writes these)
    long timerId = NULL_DEADLINE;
    long timerDeadlineNs = Long.MAX_VALUE;

    private long stateEnteredNs;
    private long nextCloseRequestNs;

    private final Timestamps timestamps = new Timestamps();
    private final RoundTripTime rtt = new RoundTripTime();
    private final SessionCounters counters = new SessionCounters();

    /**
     * A session of this endpoint; startup creates it.
     *
     * @param services  the endpoint's.
     * @param initiator true when this end initiates it.
     * @param openId    the identifier {@link RtmfpEndpoint#connect} returned, or 0 for a responder's.
     */
    public Session(final SessionServices services, final boolean initiator, final long openId)
    {
        super(initiator, openId);
        this.services = services;
        this.keepalive = new Keepalive(this, services);
    }

    // ------------------------------------------------------------------------------------------------- startup

    /**
     * Initiator: S_IHELLO_SENT (§3.5.1.1.1), with startup's state of the opening.
     *
     * @param opening startup's, returned by {@link #opening()} until the session is keyed.
     */
    public void helloSent(final Opening opening)
    {
        attach(opening);
        state = SessionState.IHELLO_SENT;
        stateEnteredNs = services.clock().nanoTime();
    }

    /**
     * The far end is known (RHello for an initiator, which moves to S_KEYING_SENT; IIKeying for a responder).
     *
     * @param localSessionId the ID the far end will put on its packets (from the session table).
     * @param farAddress     DESTADDR.
     * @param channel        the transport channel it was heard on.
     * @param farCertificate its certificate.
     */
    public void farEnd(
        final int localSessionId, final InetSocketAddress farAddress, final int channel, final byte[] farCertificate)
    {
        identify(localSessionId, farAddress, channel, farCertificate);
        if (isInitiator())
        {
            state = SessionState.KEYING_SENT;
        }
    }

    /**
     * Enter S_OPEN: keepalive timer, flows, then the owner's listeners (which may close the session again).
     */
    public void open()
    {
        final long nowNs = services.clock().nanoTime();
        state = SessionState.OPEN;
        stateEnteredNs = nowNs;
        keepalive.received(nowNs);
        counters.attach(services.counters().allocateSessionCounters(this), services.counters().valuesBuffer());
        flows = new SessionFlows(this, services);
        flows.listener(flowListener);
        services.timers().schedule(this, nowNs + services.context().keepaliveIntervalNs());
        services.owner().onOpened(this);
    }

    /**
     * The opening failed: S_OPEN_FAILED, released, the owner told.
     *
     * @param reason why.
     */
    public void openFailed(final CloseReason reason)
    {
        state = SessionState.OPEN_FAILED;
        if (CloseReason.OPEN_TIMEOUT == reason)
        {
            services.counters().handshakesTimedOut.incrementRelease();
        }
        release();
        services.owner().onOpenFailed(openId(), reason);
    }

    // ------------------------------------------------------------------------------------------------- receive

    /**
     * A packet of this session arrived (decrypted, decoder wrapped): liveness and the timestamps of §3.5.2.2.
     *
     * @param decoder the packet.
     * @param length  the datagram's length.
     */
    public void onPacket(final PacketDecoder decoder, final int length)
    {
        countIn(length);
        keysConfirmed();
        final long nowNs = services.clock().nanoTime();
        keepalive.received(nowNs);
        if (decoder.hasTimestamp())
        {
            timestamps.received(decoder.timestamp(), nowNs);
        }
        if (decoder.hasTimestampEcho())
        {
            final int echo = decoder.timestampEcho();
            if (timestamps.echoReceived(echo))
            {
                final int rttTicks = (services.writer().timestamp() - echo) & 0xFFFF;
                if (rttTicks <= 32767)
                {
                    rtt.sample(rttTicks * 4L);
                    services.counters().rttSamples.incrementRelease();
                }
            }
        }
    }

    /**
     * The packet's chunks were handled: §3.5.4.2, a packet of an open session from another address triggers (at
     * most once a second) a Ping carrying a fresh secret nonce to that address.
     *
     * @param source  where the packet came from.
     * @param channel the transport channel.
     */
    public void onPacketEnd(final InetSocketAddress source, final int channel)
    {
        final long nowNs = services.clock().nanoTime();
        if (SessionState.OPEN == state && mobility.due(source, farAddress(), nowNs))
        {
            final UnsafeBuffer message = mobility.start(source, nowNs, services.random());
            final PacketWriter writer = services.writer();
            if (writer.beginSessionPacket(this, PacketWriter.PACKET_LIMIT) &&
                writer.assembler().appendPing(ChunkType.PING, message, 0, message.capacity()) > 0)
            {
                writer.sendSessionPacket(this, channel, source);
                services.counters().pingsSent.incrementRelease();
            }
        }
    }

    /**
     * §3.5.4.1: answer a Ping in S_OPEN with its message.
     *
     * @param decoder positioned on the Ping chunk.
     */
    public void onPing(final PacketDecoder decoder)
    {
        if (SessionState.OPEN == state)
        {
            keepalive.answer(decoder);
        }
    }

    /**
     * A Ping Reply: an application Ping's round trip, or the answer to a mobility probe, which moves DESTADDR to
     * where it came from (§3.5.4.2).
     *
     * @param decoder positioned on the Ping Reply chunk.
     * @param source  where it came from.
     * @param channel the transport channel.
     */
    public void onPingReply(final PacketDecoder decoder, final InetSocketAddress source, final int channel)
    {
        final DirectBuffer message = decoder.buffer();
        final int offset = decoder.payloadOffset();
        final int length = decoder.payloadLength();
        if (keepalive.onPingReply(length) ||
            !mobility.answeredBy(message, offset, length, source, services.clock().nanoTime()))
        {
            return;
        }
        final InetSocketAddress from = farAddress();
        moveTo(source, channel);
        services.owner().onAddressChanged(this, from);
        services.counters().addressChanges.incrementRelease();
    }

    /**
     * An application's Ping ({@link RtmfpEndpoint#ping}): its Ping Reply's arrival time gives {@link #pingRttNanos()}.
     */
    public void ping()
    {
        if (SessionState.OPEN == state)
        {
            keepalive.ping();
        }
    }

    /**
     * Send a Ping with no message (§3.5.4.1 keepalive).
     */
    public void sendPing()
    {
        keepalive.sendPing();
    }

    // --------------------------------------------------------------------------------------------------- close

    /**
     * §3.5.5: a Session Close Request is acknowledged in S_OPEN, S_NEARCLOSE and S_FARCLOSE_LINGER; S_OPEN moves to
     * S_FARCLOSE_LINGER.
     */
    public void onCloseRequest()
    {
        sendClose(ChunkType.SESSION_CLOSE_ACK);
        if (SessionState.OPEN == state)
        {
            leaveOpen(SessionState.FARCLOSE_LINGER, CloseReason.REMOTE_CLOSE);
            services.counters().sessionsClosedOrderly.incrementRelease();
            services.timers().schedule(this, services.clock().nanoTime() + services.context().farCloseLingerNs());
        }
    }

    /**
     * §3.5.5: a Session Close Acknowledgement ends the session (abruptly when it was open).
     */
    public void onCloseAck()
    {
        switch (state)
        {
            case OPEN:
                leaveOpen(SessionState.CLOSED, CloseReason.REMOTE_ABORT);
                services.counters().sessionsClosedAbrupt.incrementRelease();
                release();
                break;
            case NEARCLOSE:
                services.counters().sessionsClosedOrderly.incrementRelease();
                release();
                break;
            case FARCLOSE_LINGER:
                release();
                break;
            default:
                break;
        }
    }

    /**
     * Orderly close (§3.5.5): S_NEARCLOSE, a Close Request now and every 5 s until acknowledged or 90 s pass; an
     * opening fails.
     */
    public void close()
    {
        switch (state)
        {
            case OPEN:
                leaveOpen(SessionState.NEARCLOSE, CloseReason.LOCAL_CLOSE);
                sendClose(ChunkType.SESSION_CLOSE_REQUEST);
                nextCloseRequestNs = services.clock().nanoTime() + services.context().closeRequestIntervalNs();
                services.timers().schedule(this, nextCloseRequestNs);
                break;
            case IHELLO_SENT:
            case KEYING_SENT:
                openFailed(CloseReason.LOCAL_ABORT);
                break;
            default:
                break;
        }
    }

    /**
     * The endpoint shuts down: close in an orderly way, except that a session the far end already closed is
     * released (nobody is left to answer for).
     */
    public void closeForShutdown()
    {
        if (SessionState.FARCLOSE_LINGER == state)
        {
            release();
        }
        else
        {
            close();
        }
    }

    /**
     * Abrupt close (§3.5.5): send a Session Close Acknowledgement, then S_CLOSED; an opening fails.
     *
     * @param reason why.
     */
    public void abort(final CloseReason reason)
    {
        switch (state)
        {
            case OPEN:
            case NEARCLOSE:
            case FARCLOSE_LINGER:
                sendClose(ChunkType.SESSION_CLOSE_ACK);
                if (SessionState.OPEN == state)
                {
                    leaveOpen(SessionState.CLOSED, reason);
                    if (CloseReason.DEAD_PEER == reason)
                    {
                        services.counters().sessionsDeadPeer.incrementRelease();
                    }
                    else
                    {
                        services.counters().sessionsClosedAbrupt.incrementRelease();
                    }
                }
                release();
                break;
            case IHELLO_SENT:
            case KEYING_SENT:
                openFailed(reason);
                break;
            default:
                break;
        }
    }

    private void sendClose(final int type)
    {
        final PacketWriter writer = services.writer();
        if (null != protection() && writer.beginSessionPacket(this, PacketWriter.PACKET_LIMIT) &&
            writer.assembler().appendSessionClose(type) > 0)
        {
            writer.sendSessionPacket(this);
        }
    }

    private void leaveOpen(final SessionState next, final CloseReason reason)
    {
        if (null != flows)
        {
            flows.close();
        }
        state = next;
        stateEnteredNs = services.clock().nanoTime();
        services.owner().onClosed(this, reason);
    }

    private void release()
    {
        if (SessionState.OPEN_FAILED != state)
        {
            state = SessionState.CLOSED;
        }
        services.timers().cancel(this);
        services.owner().onReleased(this);
        services.counters().freeSessionCounters(counters.detach());
        forgetKeys();
    }

    // -------------------------------------------------------------------------------------------------- timer

    /**
     * The session's timer fired: the rule of its state.
     */
    void onTimer()
    {
        final long now = services.clock().nanoTime();
        final EndpointContext context = services.context();
        switch (state)
        {
            case IHELLO_SENT:
            case KEYING_SENT:
                services.owner().onStartupTimer(this);
                break;
            case OPEN:
                onOpenTimer(now);
                break;
            case NEARCLOSE:
            {
                // §3.5.5: Close Request every 5 s, give up after 90 s
                final long giveUpAt = stateEnteredNs + context.nearCloseTimeoutNs();
                if (now - giveUpAt >= 0)
                {
                    release();
                    return;
                }
                if (now - nextCloseRequestNs >= 0)
                {
                    sendClose(ChunkType.SESSION_CLOSE_REQUEST);
                    nextCloseRequestNs = now + context.closeRequestIntervalNs();
                }
                services.timers().schedule(this, Math.min(nextCloseRequestNs, giveUpAt));
                break;
            }
            case FARCLOSE_LINGER:
            {
                final long endAt = stateEnteredNs + context.farCloseLingerNs();
                if (now - endAt >= 0)
                {
                    release();
                    return;
                }
                services.timers().schedule(this, endAt);
                break;
            }
            default:
                break;
        }
    }

    private void onOpenTimer(final long now)
    {
        long next = keepalive.onTimer(now, rtt);
        if (Keepalive.NONE == next)
        {
            abort(CloseReason.DEAD_PEER);
            return;
        }
        if (null != flows)
        {
            flows.onTimer(now);
            if (SessionState.OPEN != state)
            {
                return;
            }
            next = Math.min(next, flows.nextAlarmNs());
        }
        services.timers().schedule(this, next);
    }

    void flushFlows()
    {
        if (null != flows && SessionState.OPEN == state)
        {
            flows.flush();
        }
    }

    // ------------------------------------------------------------------------------------------------ counters

    void countIn(final int length)
    {
        counters.countIn(length);
    }

    void countOut(final int length)
    {
        counters.countOut(length);
    }

    /**
     * @param index {@link #DATAGRAMS_IN} .. {@link #BYTES_OUT}.
     * @return the value in the counters manager, or -1 when this session has no counters.
     */
    public long counterValue(final int index)
    {
        return counters.value(index);
    }

    /**
     * Publish the flows' totals to the per-session counters (a reader such as {@code flowcast stat} sees them).
     *
     * @param cwnd            the congestion window, bytes.
     * @param inFlight        bytes in flight.
     * @param retransmissions fragments retransmitted.
     */
    public void publishFlowCounters(final long cwnd, final long inFlight, final long retransmissions)
    {
        counters.publishFlows(cwnd, inFlight, rtt.srttMs(), retransmissions);
    }

    // ------------------------------------------------------------------------------------------------- public API

    Timestamps timestamps()
    {
        return timestamps;
    }

    /**
     * @return the round-trip estimate (§3.5.2.2) that flows time their retransmissions by.
     */
    public RoundTripTime rtt()
    {
        return rtt;
    }

    /**
     * @return the flows of an open session, or null before S_OPEN.
     */
    public SessionFlows flows()
    {
        return flows;
    }

    /**
     * @return the round trip of the last {@link RtmfpEndpoint#ping(Session)} answered, in nanoseconds, or -1.
     * Read it on the agent thread (listener, {@link RtmfpEndpoint#execute}, or the invoker's thread).
     */
    public long pingRttNanos()
    {
        return keepalive.pingRttNs();
    }

    /**
     * @return how many {@link RtmfpEndpoint#ping(Session)} pings were answered. Read it on the agent thread.
     */
    public long pingRepliesReceived()
    {
        return keepalive.pingRepliesReceived();
    }

    /**
     * @return the current state.
     */
    public SessionState state()
    {
        return state;
    }

    /**
     * Send a keepalive Ping when nothing was received from the peer for this long, instead of the endpoint's
     * interval: RFC 7425 §5.3.4, a server's Set Keepalive Timers tells its clients how often to show they are alive
     * (and keep NAT bindings open). Agent thread only.
     *
     * @param interval at least 1 ms; 0 returns to the endpoint's interval.
     * @param unit     of the interval.
     */
    public void keepaliveInterval(final long interval, final TimeUnit unit)
    {
        final long deadlineNs = keepalive.interval(interval, unit);
        if (null != flows && Keepalive.NONE != deadlineNs)
        {
            services.timers().ensure(this, deadlineNs);
        }
    }

    /**
     * @return the interval set by {@link #keepaliveInterval}, ns, or 0 when the endpoint's applies.
     */
    public long keepaliveIntervalNs()
    {
        return keepalive.intervalNs();
    }

    /**
     * @return smoothed round-trip time in ms (§3.5.2.2), or -1 before the first sample.
     */
    public long srttMillis()
    {
        return rtt.srttMs();
    }

    /**
     * @return round-trip time variance in ms.
     */
    public long rttvarMillis()
    {
        return rtt.rttvarMs();
    }

    /**
     * @return the effective retransmission timeout in ms (§3.5.2.2).
     */
    public long ertoMillis()
    {
        return rtt.ertoMs();
    }

    /**
     * @return datagrams received for this session (after decryption).
     */
    public long datagramsIn()
    {
        return counters.datagramsIn();
    }

    /**
     * @return bytes received for this session.
     */
    public long bytesIn()
    {
        return counters.bytesIn();
    }

    /**
     * @return datagrams sent for this session.
     */
    public long datagramsOut()
    {
        return counters.datagramsOut();
    }

    /**
     * @return bytes sent for this session.
     */
    public long bytesOut()
    {
        return counters.bytesOut();
    }

    /**
     * Open a sending flow (§3.6.2.1) with the default {@link FlowOptions}. Agent thread only.
     *
     * @param metadata the per-flow metadata the far end sees (for RFC 7425 the TC metadata).
     * @return the flow, or null when the session is not open or has its maximum of flows.
     */
    public SendFlow openFlow(final byte[] metadata)
    {
        return openFlow(metadata, null, DEFAULT_FLOW_OPTIONS);
    }

    /**
     * Open a sending flow (§3.6.2.1). Agent thread only.
     *
     * @param metadata  the per-flow metadata the far end sees.
     * @param returnFor the receiving flow this one answers (Return Flow Association, §2.3.11.1.2), or null.
     * @param options   buffer bounds, congestion control, measurement.
     * @return the flow, or null when the session is not open or has its maximum of flows.
     */
    public SendFlow openFlow(final byte[] metadata, final ReceiveFlow returnFor, final FlowOptions options)
    {
        if (SessionState.OPEN != state || null == flows)
        {
            return null;
        }
        if (null != returnFor && returnFor.session() != this)
        {
            throw new IllegalArgumentException("return flow of another session");
        }
        return flows.openFlow(metadata, returnFor, options);
    }

    /**
     * @param listener this session's flow events (wins over the endpoint's {@link EndpointContext#flowListener}).
     */
    public void flowListener(final FlowListener listener)
    {
        this.flowListener = listener;
        if (null != flows)
        {
            flows.listener(listener);
        }
    }

    /**
     * @param flowId a sending flow's ID.
     * @return the flow, or null.
     */
    public SendFlow sendFlow(final long flowId)
    {
        return null == flows ? null : flows.sendFlow(flowId);
    }

    /**
     * @param flowId a receiving flow's ID (chosen by the far end).
     * @return the flow, or null.
     */
    public ReceiveFlow receiveFlow(final long flowId)
    {
        return null == flows ? null : flows.receiveFlow(flowId);
    }

    /**
     * @return the session's congestion window in bytes (§3.5.2), or 0 before open.
     */
    public long congestionWindow()
    {
        return null == flows ? 0 : flows.congestionControl().window();
    }

    /**
     * @return bytes of user data in flight under the session's congestion control (S_OUTSTANDING_BYTES).
     */
    public long bytesInFlight()
    {
        return null == flows ? 0 : flows.outstandingBytes();
    }

    /**
     * @return the least round-trip time measured, in ms, or -1.
     */
    public long minRttMillis()
    {
        return null == flows ? -1 : flows.minRttMs();
    }

    /**
     * @return fragments retransmitted on this session's flows.
     */
    public long retransmissions()
    {
        return null == flows ? 0 : flows.retransmissionsTotal();
    }

    @Override
    public String toString()
    {
        return "Session{" + (isInitiator() ? "initiator" : "responder") + ", " + state + ", local=" +
            Integer.toHexString(localSessionId()) + ", far=" + Integer.toHexString(farSessionId()) + ", " + farAddress() +
            '}';
    }
}
