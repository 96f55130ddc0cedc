package io.flowcast.engine.session;

import io.flowcast.engine.endpoint.EndpointCounters;

import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.PacketProtection;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.transport.DatagramTransport;
import org.agrona.BufferUtil;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetSocketAddress;

/**
 * Assembles, timestamps, encrypts and sends every packet of an endpoint: startup packets under the Default Session
 * Key (§3.5.1) and session packets under the session's keys with the timestamps and echoes of §3.5.2.2. One
 * assembler over one direct send buffer serves every session; a packet is begun, chunks are appended to
 * {@link #assembler()}, then it is sent. Also writes the key log. Agent thread only.
 */
public final class PacketWriter
{
    private static final int SEND_BUFFER_LENGTH = PacketProtection.MAX_DATAGRAM_LENGTH;
    /** Plaintext bound of a packet. */
    public static final int PACKET_LIMIT = SEND_BUFFER_LENGTH - PacketProtection.MAX_OVERHEAD - 64;
    /** Plaintext bound of packets carrying flows, so their datagrams stay under a 1,280-byte path MTU (§3.5.4.3). */
    public static final int DATA_PACKET_LIMIT = 1152;

    private final DatagramTransport transport;
    private final EndpointCounters counters;
    private final CachedNanoClock clock;
    private final long epochNs;
    private final KeyLog.Writer keyLog;
    private final PacketProtection defaultProtection = PacketProtection.defaultKey();
    private final PacketAssembler assembler = new PacketAssembler();
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(SEND_BUFFER_LENGTH, 64));
    /** CBC work arrays shared by every session's protection: crypto runs only on this thread (16 KB per session). */
    private final PacketProtection.Scratch protectionScratch = new PacketProtection.Scratch();
    private long lastTimeCriticalSentNs = Long.MIN_VALUE / 2;

    PacketWriter(
        final DatagramTransport transport, final EndpointCounters counters, final CachedNanoClock clock,
        final KeyLog.Writer keyLog)
    {
        this.transport = transport;
        this.counters = counters;
        this.clock = clock;
        this.epochNs = clock.nanoTime();
        this.keyLog = keyLog;
    }

    /**
     * @return the assembler of the packet begun last: append chunks to it, then send.
     */
    public PacketAssembler assembler()
    {
        return assembler;
    }

    /**
     * @return the send buffer the assembler writes into (for chunks encoded in place).
     */
    public UnsafeBuffer buffer()
    {
        return sendBuffer;
    }

    /**
     * @return our current 16-bit timestamp (§3.5.2.2, 4 ms ticks since the endpoint started).
     */
    public int timestamp()
    {
        return (int)(((clock.nanoTime() - epochNs) / Timestamps.NS_PER_TICK) & 0xFFFF);
    }

    /**
     * @return when this endpoint last sent a packet marked time critical (§3.5.2.1), ns.
     */
    public long lastTimeCriticalSentNs()
    {
        return lastTimeCriticalSentNs;
    }

    /**
     * Mark the packet being assembled time critical (§3.5.2.1).
     */
    public void timeCritical()
    {
        assembler.timeCritical(true);
        lastTimeCriticalSentNs = clock.nanoTime();
    }

    /**
     * @param result keys of a session just keyed.
     * @return the session's packet protection, sharing this endpoint's crypto scratch.
     */
    public PacketProtection protection(final SessionKeying.Result result)
    {
        return new PacketProtection(result.send(), result.receive(), protectionScratch);
    }

    // ---------------------------------------------------------------------------------------------------- startup

    /**
     * Begin a startup packet (§3.5.1): session ID 0's mode, under the Default Session Key.
     */
    public void beginStartupPacket()
    {
        assembler.wrap(sendBuffer, defaultProtection.packetOffset(0), PACKET_LIMIT);
        assembler.begin(PacketDecoder.MODE_STARTUP, false, false, timestamp(), -1);
    }

    /**
     * Encrypt the startup packet under the Default Session Key and send it.
     *
     * @param sessionId   the session ID it carries (0, or the initiator's for RIKeying).
     * @param destination where.
     * @param channel     the transport channel, or -1 for any.
     */
    public void sendStartupPacket(final int sessionId, final InetSocketAddress destination, final int channel)
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

    // ---------------------------------------------------------------------------------------------------- session

    /**
     * Begin a packet of a keyed session with the timestamp and echo due (§3.5.2.2).
     *
     * @param session the session.
     * @param limit   plaintext bound: {@link #PACKET_LIMIT}, or {@link #DATA_PACKET_LIMIT} for flows.
     * @return false when the packet cannot be begun.
     */
    public boolean beginSessionPacket(final Session session, final int limit)
    {
        assembler.wrap(sendBuffer, session.protection().packetOffset(0), limit);
        final Timestamps timestamps = session.timestamps();
        final int timestamp = timestamps.timestampToSend(timestamp());
        final int echo = timestamps.echoToSend(clock.nanoTime());
        final int mode = session.isInitiator() ? PacketDecoder.MODE_INITIATOR : PacketDecoder.MODE_RESPONDER;
        return assembler.begin(mode, false, false, timestamp, echo) > 0;
    }

    /**
     * Encrypt the session packet and send it to the session's DESTADDR.
     *
     * @param session the session.
     */
    public void sendSessionPacket(final Session session)
    {
        sendSessionPacket(session, session.channel(), session.farAddress());
    }

    /**
     * Encrypt the session packet and send it to {@code destination} (a mobility probe's new address, §3.5.4.2).
     *
     * @param session     the session.
     * @param channel     the transport channel.
     * @param destination where.
     */
    public void sendSessionPacket(final Session session, final int channel, final InetSocketAddress destination)
    {
        final int datagramLength = session.protection().encrypt(sendBuffer, 0, assembler.finish());
        if (datagramLength < 0)
        {
            counters.sendDropped.incrementRelease();
            return;
        }
        Multiplex.scramble(sendBuffer, 0, datagramLength, session.farSessionId());
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

    /**
     * Append a keyed session's keys to the key log, if one is configured (debugging with a dissector).
     *
     * @param session the session.
     * @param result  its keys.
     */
    public void logKeys(final Session session, final SessionKeying.Result result)
    {
        if (null != keyLog)
        {
            try
            {
                keyLog.session(
                    (session.isInitiator() ? "initiator to " : "responder for ") + session.farAddress(),
                    session.farSessionId(), result.send(), session.localSessionId(), result.receive());
            }
            catch (final RuntimeException ex)
            {
                // a failing debug log must not break the session
            }
        }
    }
}
