package io.flowcast.engine.session;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.PacketDecoder;

import java.util.concurrent.TimeUnit;

/**
 * One session's liveness, RFC 7016 §3.5.4.1: after a keepalive interval of silence a Ping, not more often than once
 * per ERTO (ERTO backed off while unanswered), and the far end dead after the dead-peer timeout; Ping Replies to the
 * far end's Pings; application Pings and their round trip. Agent thread only.
 */
final class Keepalive
{
    /** Returned for "the far end is dead" and "no deadline": no real deadline is this (clocks may be negative). */
    static final long NONE = Long.MIN_VALUE;

    private final Session session;
    private final SessionServices services;
    private long lastReceiveNs;
    private long nextPingNs;
    /** This session's keepalive interval, or 0 for the endpoint's (e.g. set from RFC 7425 Set Keepalive Timers). */
    private long intervalNs;
    private long pingSentNs;
    private long pingRttNs = -1;
    private long pingRepliesReceived;

    Keepalive(final Session session, final SessionServices services)
    {
        this.session = session;
        this.services = services;
    }

    /**
     * Something arrived from the far end (or the session opened): it is alive.
     *
     * @param nowNs now.
     */
    void received(final long nowNs)
    {
        lastReceiveNs = nowNs;
        nextPingNs = 0;
    }

    /**
     * The open session's timer: a keepalive Ping when due.
     *
     * @param now the time.
     * @param rtt the session's round-trip estimate.
     * @return the next keepalive deadline (at the latest the dead-peer one), or {@link #NONE} when the far end is dead.
     */
    long onTimer(final long now, final RoundTripTime rtt)
    {
        final long deadAt = lastReceiveNs + services.context().deadPeerTimeoutNs();
        if (now - deadAt >= 0)
        {
            return NONE;
        }
        final long idleAt = lastReceiveNs + (intervalNs > 0 ? intervalNs : services.context().keepaliveIntervalNs());
        long next = idleAt;
        if (now - idleAt >= 0)
        {
            if (0 == nextPingNs || now - nextPingNs >= 0)
            {
                if (0 != nextPingNs)
                {
                    rtt.backOff();
                }
                sendPing();
                nextPingNs = now + TimeUnit.MILLISECONDS.toNanos(rtt.ertoMs());
            }
            next = nextPingNs;
        }
        return Math.min(next, deadAt);
    }

    /**
     * @param interval the session's own keepalive interval; 0 returns to the endpoint's.
     * @param unit     of the interval.
     * @return the deadline by which the session's timer must fire, or {@link #NONE} when none is needed sooner.
     */
    long interval(final long interval, final TimeUnit unit)
    {
        final long ns = unit.toNanos(interval);
        intervalNs = ns <= 0 ? 0 : Math.max(TimeUnit.MILLISECONDS.toNanos(1), ns);
        return intervalNs > 0 ? lastReceiveNs + intervalNs : NONE;
    }

    long intervalNs()
    {
        return intervalNs;
    }

    /**
     * Answer the far end's Ping with its message.
     *
     * @param decoder positioned on the Ping chunk.
     */
    void answer(final PacketDecoder decoder)
    {
        final PacketWriter writer = services.writer();
        if (writer.beginSessionPacket(session, PacketWriter.PACKET_LIMIT) && writer.assembler().appendPing(
            ChunkType.PING_REPLY, decoder.buffer(), decoder.payloadOffset(), decoder.payloadLength()) > 0)
        {
            writer.sendSessionPacket(session);
            services.counters().pingRepliesSent.incrementRelease();
        }
    }

    /**
     * @param length the Ping Reply's message length.
     * @return true when it answers an application Ping (its round trip recorded).
     */
    boolean onPingReply(final int length)
    {
        if (0 == length && 0 != pingSentNs)
        {
            pingRttNs = services.nanoClock().nanoTime() - pingSentNs; // fresh: a loopback reply can beat the cycle
            pingSentNs = 0;
            pingRepliesReceived++;
            return true;
        }
        return false;
    }

    /**
     * An application Ping: its reply gives {@link #pingRttNs()}.
     */
    void ping()
    {
        sendPing();
        pingSentNs = services.nanoClock().nanoTime();
    }

    void sendPing()
    {
        final PacketWriter writer = services.writer();
        if (writer.beginSessionPacket(session, PacketWriter.PACKET_LIMIT) &&
            writer.assembler().appendPing(ChunkType.PING, null, 0, 0) > 0)
        {
            writer.sendSessionPacket(session);
            services.counters().pingsSent.incrementRelease();
        }
    }

    long pingRttNs()
    {
        return pingRttNs;
    }

    long pingRepliesReceived()
    {
        return pingRepliesReceived;
    }
}
