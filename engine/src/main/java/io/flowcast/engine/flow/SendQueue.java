package io.flowcast.engine.flow;

import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.engine.cc.CongestionControl;
import io.flowcast.engine.session.Session;

import org.HdrHistogram.Recorder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A sending flow's SEND_QUEUE and the rules of its entries (RFC 7016 §3.6.2): trimming the head (§3.6.2.3 step 1), the
 * forward sequence number, abandonment (§3.6.2.7), the next eligible entry and its priority, assembling User Data
 * (§3.6.2.3), acknowledgement (§3.6.2.4), negative acknowledgement (§3.6.2.5), the retransmission timeout (§3.6.2.6)
 * and buffer probes (§3.6.2.9.1). Driven by the session's {@link SessionFlows}; {@link SendFlow} is the application's
 * side. Agent thread only.
 */
abstract class SendQueue extends SendBuffer
{
    /** §3.6.2 states. */
    public static final int F_OPEN = 0;
    /** Closed by us or by the far end's exception; waiting for everything up to the final sequence number. */
    public static final int F_CLOSING = 1;
    /** Complete; the flow ID is not reused within the session (we never reuse them). */
    public static final int F_COMPLETE_LINGER = 2;
    /** Released. */
    public static final int F_CLOSED = 3;

    /** Priorities for {@link #offer}: higher goes first; the default is {@link #PRIORITY_NORMAL}. */
    public static final int PRIORITY_LOW = 0;
    /** The default priority. */
    public static final int PRIORITY_NORMAL = 4;
    /** Real-time media priority (RFC 7425 audio/video flows). */
    public static final int PRIORITY_HIGH = 6;
    /** Most urgent. */
    public static final int PRIORITY_HIGHEST = 7;

    static final int FRA_BITS = 0x03;
    static final int ABANDONED = 0x04;
    static final int SENT_ABANDONED = 0x08;
    static final int EVER_SENT = 0x10;
    static final int IN_FLIGHT = 0x20;
    static final int ACKED = 0x40;
    static final int TIME_CRITICAL = 0x80;
    /** In {@link #nakCount}: this entry's current flight is a retransmission (its TSN is out of sequence order). */
    static final int RESENT = 0x80;
    static final int NAK_MASK = 0x7F;

    /** §3.6.2: RX_BUFFER_SIZE before the first acknowledgement. */
    static final long INITIAL_RX_BUFFER_SIZE = 65_536;
    /** §3.6.2.11: a complete flow lingers 130 s before its ID may be forgotten. */
    static final long SEND_LINGER_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(130);
    /** §3.6.2.9.1: buffer probes back off to at most a minute (or ERTO). */
    static final long MAX_PROBE_INTERVAL_NS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    final Session session;
    final SessionFlows flows;
    final long flowId;
    final UnsafeBuffer metadata;
    final long returnFlowId;
    final CongestionControl ownCongestionControl;
    final int maxFragmentLength;
    int state = F_OPEN;
    boolean startupOptionsPending = true;
    long rxBufferSize = INITIAL_RX_BUFFER_SIZE;
    boolean exception;
    long exceptionCode;
    long finalSn = -1;
    long scanSn = 1;
    long highestSentSn;
    int liveCount;
    long outstandingBytes;
    long outstandingFragments;
    long resentInFlight;
    long optionsPacketStamp = -1;
    long ccPacketStamp = -1;
    long closedAtNs;
    long nextProbeNs;
    long probeIntervalNs;
    Object attachment;

    // measurement
    long messagesOffered;
    long messagesAcknowledged;
    long fragmentsSent;
    long retransmissions;
    long messagesAbandoned;
    long bufferProbesSent;
    long backPressured;
    final Recorder latencyRecorder;

    SendQueue(
        final Session session,
        final SessionFlows flows,
        final long flowId,
        final byte[] metadata,
        final long returnFlowId,
        final FlowOptions options,
        final int maxFragmentLength)
    {
        super(options.maxQueuedFragments(), options.bufferBytes(), maxFragmentLength);
        this.session = session;
        this.flows = flows;
        this.flowId = flowId;
        this.metadata = new UnsafeBuffer(metadata.clone());
        this.returnFlowId = returnFlowId;
        this.ownCongestionControl = null == options.congestionControl() ? null : options.congestionControl().get();
        this.maxFragmentLength = maxFragmentLength;
        latencyRecorder = options.measureLatency() ? new Recorder(1, 3_600_000_000L, 2) : null;
    }

    /**
     * Close the flow in order (§3.6.2.11); {@link SendFlow#close()}.
     */
    public abstract void close();

    void appendAbandonedFinal(final int index)
    {
        dataPosition[index] = writePosition;
        dataLength[index] = 0;
        entryFlags[index] = (byte)(UserDataChunk.FRAGMENT_WHOLE | ABANDONED);
        nakCount[index] = 0;
        transmitSize[index] = 0;
        tsn[index] = 0;
        deadlineNs[index] = Long.MAX_VALUE;
        queuedNs[index] = flows.nowNs();
        entryPriority[index] = PRIORITY_NORMAL;
        finalSn = nextSn;
        nextSn++;
        liveCount++;
    }
    /**
     * §3.6.2.3 step 1: trim acknowledged entries and abandoned ones not in flight from the head (keeping the last live
     * one), releasing their bytes.
     */
    void trimHead()
    {
        while (headSn < nextSn)
        {
            final int index = (int)(headSn & mask);
            final int flags = entryFlags[index];
            final boolean acked = 0 != (flags & ACKED);
            if (!acked && !(0 != (flags & ABANDONED) && 0 == (flags & IN_FLIGHT) && liveCount >= 2))
            {
                break;
            }
            if (!acked)
            {
                liveCount--;
            }
            headSn++;
            final int length = dataLength[index];
            flows.releaseQueuedBytes(length);
            readPosition = headSn < nextSn ? dataPosition[(int)(headSn & mask)] : writePosition;
        }
        if (scanSn < headSn)
        {
            scanSn = headSn;
        }
        else if (headSn < nextSn && scanSn > headSn &&
            ABANDONED == (entryFlags[(int)(headSn & mask)] & (ABANDONED | IN_FLIGHT | ACKED)))
        {
            // an abandoned head is eligible again (§3.6.2.3): it carries the forward sequence number update
            scanSn = headSn;
        }
        if (-2 == finalSn && nextSn - headSn + 1 <= maxSlots)
        {
            if (nextSn - headSn + 1 > mask + 1)
            {
                growSlots(nextSn - headSn + 1);
            }
            appendAbandonedFinal((int)(nextSn & mask));
        }
    }

    /**
     * §3.6.2.3 steps 2–4.
     *
     * @return the forward sequence number.
     */
    long forwardSequenceNumber()
    {
        if (headSn >= nextSn)
        {
            return nextSn - 1;
        }
        final int flags = entryFlags[(int)(headSn & mask)];
        if (0 == (flags & ABANDONED))
        {
            return headSn - 1;
        }
        if (0 != (flags & IN_FLIGHT) && 0 == (flags & SENT_ABANDONED))
        {
            return headSn - 1;
        }
        return headSn;
    }

    /**
     * Abandon the whole message holding {@code sn} (§3.6.2.7): every fragment from its begin to its end.
     */
    void abandonMessage(final long sn)
    {
        long first = sn;
        while (first > headSn)
        {
            final int fra = entryFlags[(int)(first & mask)] & FRA_BITS;
            if (UserDataChunk.FRAGMENT_WHOLE == fra || UserDataChunk.FRAGMENT_BEGIN == fra)
            {
                break;
            }
            first--;
        }
        boolean any = false;
        for (long s = first; s < nextSn; s++)
        {
            final int index = (int)(s & mask);
            final int flags = entryFlags[index];
            if (0 == (flags & (ABANDONED | ACKED)))
            {
                entryFlags[index] = (byte)(flags | ABANDONED);
                any = true;
            }
            final int fra = flags & FRA_BITS;
            if (s > first && (UserDataChunk.FRAGMENT_END == fra || UserDataChunk.FRAGMENT_WHOLE == fra))
            {
                break;
            }
            if (s == first && UserDataChunk.FRAGMENT_WHOLE == fra)
            {
                break;
            }
        }
        if (any)
        {
            messagesAbandoned++;
            flows.counters().messagesAbandoned.incrementRelease();
        }
        if (first < scanSn)
        {
            scanSn = first;
        }
    }

    /**
     * Abandon everything queued (§3.6.2.10 step 3).
     */
    void abandonAll()
    {
        for (long s = headSn; s < nextSn; s++)
        {
            final int index = (int)(s & mask);
            final int flags = entryFlags[index];
            if (0 == (flags & (ABANDONED | ACKED)))
            {
                final int fra = flags & FRA_BITS;
                if (UserDataChunk.FRAGMENT_WHOLE == fra || UserDataChunk.FRAGMENT_END == fra)
                {
                    messagesAbandoned++;
                }
                entryFlags[index] = (byte)(flags | ABANDONED);
            }
        }
        scanSn = headSn;
    }

    /**
     * @return the first eligible entry's sequence number at or after the scan cursor, or -1; expired messages met on
     * the way are abandoned.
     */
    long nextEligible(final long nowNs)
    {
        for (long s = Math.max(scanSn, headSn); s < nextSn; s++)
        {
            final int index = (int)(s & mask);
            int flags = entryFlags[index];
            if (0 != (flags & (IN_FLIGHT | ACKED)))
            {
                if (s == scanSn)
                {
                    scanSn++;
                }
                continue;
            }
            if (0 == (flags & ABANDONED) && nowNs - deadlineNs[index] >= 0)
            {
                abandonMessage(s);
                flags = entryFlags[index];
            }
            if (0 == (flags & ABANDONED) || s == headSn || s == finalSn)
            {
                return s;
            }
            if (s == scanSn)
            {
                scanSn++;
            }
        }
        return -1;
    }

    /**
     * @return true when the flow has an entry to send and the receive window allows (§3.6.2.3 "ready to transmit").
     */
    boolean readyToTransmit(final long nowNs)
    {
        if (F_CLOSED == state || F_COMPLETE_LINGER == state)
        {
            return false;
        }
        if (!exception && rxBufferSize <= outstandingBytes)
        {
            return false;
        }
        return nextEligible(nowNs) >= 0;
    }

    /**
     * @return the priority of the next eligible entry (valid after {@link #readyToTransmit} returned true).
     */
    int nextPriority()
    {
        final long sn = Math.max(scanSn, headSn);
        return sn < nextSn ? entryPriority[(int)(sn & mask)] : PRIORITY_LOW;
    }

    /**
     * Assemble entry {@code sn} into the packet (§3.6.2.3 steps 2–18).
     *
     * @return the chunk's bytes, or 0 when it does not fit.
     */
    int assemble(final PacketAssembler assembler, final long sn, final long fsn, final long packetStamp)
    {
        final int index = (int)(sn & mask);
        final int flags = entryFlags[index];
        final boolean abandoned = 0 != (flags & ABANDONED);
        int chunkFlags = (flags & FRA_BITS) << UserDataChunk.FRA_SHIFT;
        if (abandoned)
        {
            chunkFlags |= UserDataChunk.FLAG_ABN;
        }
        if (sn == finalSn)
        {
            chunkFlags |= UserDataChunk.FLAG_FIN;
        }
        final boolean withOptions = startupOptionsPending && optionsPacketStamp != packetStamp;
        final int length = abandoned ? 0 : dataLength[index];
        final int written = assembler.appendUserData(
            chunkFlags, flowId, sn, sn - fsn,
            withOptions ? metadata : null, 0, metadata.capacity(),
            withOptions ? returnFlowId : -1,
            data, (int)(dataPosition[index] % ringCapacity), length);
        if (written <= 0)
        {
            return 0;
        }
        if (withOptions)
        {
            optionsPacketStamp = packetStamp;
        }
        final boolean everSent = 0 != (flags & EVER_SENT);
        entryFlags[index] = (byte)((flags & ~SENT_ABANDONED) | IN_FLIGHT | EVER_SENT | (abandoned ? SENT_ABANDONED : 0));
        // a flight below the highest sent (a retransmission, or an abandoned head sent as FSN update) breaks the TSN
        // order along sequence numbers that negativeAcknowledge relies on to stop early
        final boolean outOfOrder = everSent || sn < highestSentSn;
        nakCount[index] = (byte)(outOfOrder ? RESENT : 0);
        if (outOfOrder)
        {
            resentInFlight++;
        }
        tsn[index] = flows.nextTransmissionSequenceNumber();
        transmitSize[index] = (short)written;
        outstandingBytes += written;
        outstandingFragments++;
        fragmentsSent++;
        if (everSent)
        {
            retransmissions++;
            flows.counters().fragmentsRetransmitted.incrementRelease();
            flows.retransmitted();
        }
        if (sn > highestSentSn)
        {
            highestSentSn = sn;
        }
        if (sn == scanSn)
        {
            scanSn++;
        }
        return written;
    }

    /**
     * The far end acknowledged {@code sn} (§3.6.2.4 step 4).
     *
     * @return the bytes that were in flight for it (0 when it was not in flight).
     */
    int acknowledge(final long sn, final long nowNs)
    {
        if (sn < headSn || sn >= nextSn)
        {
            return 0;
        }
        final int index = (int)(sn & mask);
        final int flags = entryFlags[index];
        if (0 != (flags & ACKED))
        {
            return 0;
        }
        entryFlags[index] = (byte)((flags | ACKED) & ~IN_FLIGHT);
        liveCount--;
        int inFlightBytes = 0;
        if (0 != (flags & IN_FLIGHT))
        {
            inFlightBytes = transmitSize[index];
            outstandingBytes -= inFlightBytes;
            outstandingFragments--;
            if (0 != (nakCount[index] & RESENT))
            {
                resentInFlight--;
            }
        }
        final int fra = flags & FRA_BITS;
        if (0 == (flags & ABANDONED) &&
            (UserDataChunk.FRAGMENT_WHOLE == fra || UserDataChunk.FRAGMENT_END == fra))
        {
            messagesAcknowledged++;
            if (null != latencyRecorder)
            {
                final long micros = Math.max(1, (nowNs - queuedNs[index]) / 1000);
                latencyRecorder.recordValue(Math.min(micros, 3_600_000_000L));
            }
        }
        return inFlightBytes;
    }

    /**
     * §3.6.2.5: count a negative acknowledgement on every fragment in flight sent before {@code maxTsnAck}; declare
     * those with three lost.
     *
     * @return bytes declared lost.
     */
    long negativeAcknowledge(final long maxTsnAck, final CongestionControl congestionControl)
    {
        long lostBytes = 0;
        final long end = Math.min(highestSentSn + 1, nextSn);
        for (long s = headSn; s < end && outstandingFragments > 0; s++)
        {
            final int index = (int)(s & mask);
            final int flags = entryFlags[index];
            if (0 == (flags & IN_FLIGHT))
            {
                continue;
            }
            if (tsn[index] >= maxTsnAck)
            {
                // first flights are in TSN order along the sequence numbers: past this one none can be behind the
                // acknowledged TSN, unless a retransmission (out of order) is in flight
                if (0 == resentInFlight)
                {
                    break;
                }
                continue;
            }
            {
                congestionControl.onNegativeAcknowledgement();
                final int naks = (nakCount[index] & NAK_MASK) + 1;
                nakCount[index] = (byte)((nakCount[index] & RESENT) | naks);
                if (naks >= 3)
                {
                    entryFlags[index] = (byte)(flags & ~IN_FLIGHT);
                    outstandingBytes -= transmitSize[index];
                    outstandingFragments--;
                    if (0 != (nakCount[index] & RESENT))
                    {
                        resentInFlight--;
                    }
                    lostBytes += transmitSize[index];
                    congestionControl.onLoss();
                    if (s < scanSn)
                    {
                        scanSn = s;
                    }
                }
            }
        }
        return lostBytes;
    }

    /**
     * §3.6.2.6: the retransmission alarm fired; nothing is in flight any more.
     *
     * @return true when something was in flight (loss).
     */
    boolean timeout()
    {
        if (0 == outstandingFragments)
        {
            return false;
        }
        final long end = Math.min(highestSentSn + 1, nextSn);
        for (long s = headSn; s < end; s++)
        {
            final int index = (int)(s & mask);
            entryFlags[index] = (byte)(entryFlags[index] & ~IN_FLIGHT);
        }
        outstandingBytes = 0;
        outstandingFragments = 0;
        resentInFlight = 0;
        scanSn = headSn;
        return true;
    }

    // ------------------------------------------------------------------------ driven by the session's flows

    /**
     * An acknowledgement of this flow arrived (§3.6.2.4 steps 2–3): the far end has the startup options, and its
     * receive window; a window closing to zero starts buffer probes (§3.6.2.9.1) within a second.
     *
     * @param bufferBlocksAvailable the acknowledgement's advertised buffer, 1,024-byte blocks.
     * @param nowNs                 now.
     * @param ertoMs                the session's ERTO.
     * @return true when a probe was scheduled at {@link #nextProbeNs()}.
     */
    boolean onAcknowledgement(final long bufferBlocksAvailable, final long nowNs, final long ertoMs)
    {
        startupOptionsPending = false;
        final long window = Math.min(bufferBlocksAvailable, Long.MAX_VALUE / 2048) * 1024;
        final boolean probe = 0 == window && 0 != rxBufferSize;
        if (probe)
        {
            probeIntervalNs = Math.max(
                java.util.concurrent.TimeUnit.SECONDS.toNanos(1), java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ertoMs));
            nextProbeNs = nowNs + probeIntervalNs;
        }
        rxBufferSize = window;
        return probe;
    }

    /**
     * @param receivePacketStamp the received packet's stamp.
     * @return true the first time this packet acknowledges this flow (its own congestion control starts a packet).
     */
    boolean firstAckInPacket(final long receivePacketStamp)
    {
        if (ccPacketStamp == receivePacketStamp)
        {
            return false;
        }
        ccPacketStamp = receivePacketStamp;
        return true;
    }

    /**
     * @param receivePacketStamp the received packet's stamp.
     * @return true when that packet acknowledged this flow.
     */
    boolean ackedInPacket(final long receivePacketStamp)
    {
        return ccPacketStamp == receivePacketStamp;
    }

    /**
     * After a packet of acknowledgements: drop the acknowledged head, and a closing flow whose queue is empty
     * becomes F_COMPLETE_LINGER.
     *
     * @param nowNs now.
     */
    void afterAcknowledgements(final long nowNs)
    {
        trimHead();
        if (isComplete())
        {
            state = F_COMPLETE_LINGER;
            closedAtNs = nowNs;
        }
    }

    /**
     * §3.6.2.10: the far end rejected the flow: close it and abandon everything.
     *
     * @param code the exception code.
     * @return true when the flow was open (the application hears of it).
     */
    boolean onException(final long code)
    {
        final boolean wasOpen = F_OPEN == state;
        if (wasOpen)
        {
            close();
        }
        exception = true;
        exceptionCode = code;
        abandonAll();
        return wasOpen;
    }

    /**
     * @return true while the far end's receive window is zero with data queued (§3.6.2.9.1).
     */
    boolean probing()
    {
        return 0 == rxBufferSize && !exception && headSn < nextSn && (F_OPEN == state || F_CLOSING == state);
    }

    long nextProbeNs()
    {
        return nextProbeNs;
    }

    /**
     * A buffer probe is due: back off the next one (doubling, up to a minute or ERTO).
     *
     * @param sent   whether the probe went out.
     * @param nowNs  now.
     * @param ertoMs the session's ERTO.
     */
    void probed(final boolean sent, final long nowNs, final long ertoMs)
    {
        if (sent)
        {
            bufferProbesSent++;
        }
        probeIntervalNs = Math.min(probeIntervalNs * 2,
            Math.max(MAX_PROBE_INTERVAL_NS, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ertoMs)));
        nextProbeNs = nowNs + probeIntervalNs;
    }

    /**
     * @param nowNs now.
     * @return true when a complete flow's linger ended (§3.6.2.11).
     */
    boolean lingerEnded(final long nowNs)
    {
        return F_COMPLETE_LINGER == state && nowNs - closedAtNs >= SEND_LINGER_NS;
    }

    /**
     * The flow is forgotten (linger ended, or the session closed).
     */
    void closed()
    {
        state = F_CLOSED;
    }

    /**
     * @param sn a sequence number in the queue.
     * @return the transmission sequence number of its last flight.
     */
    long tsnOf(final long sn)
    {
        return tsn[index(sn)];
    }

    /**
     * @param sn a sequence number in the queue.
     * @return true when its message is time critical (§3.5.2.1).
     */
    boolean timeCriticalAt(final long sn)
    {
        return 0 != (entryFlags[index(sn)] & TIME_CRITICAL);
    }

    /**
     * @return true once a closing flow's queue is empty: everything up to the final sequence number acknowledged.
     */
    boolean isComplete()
    {
        return F_CLOSING == state && finalSn > 0 && headSn > finalSn;
    }
}
