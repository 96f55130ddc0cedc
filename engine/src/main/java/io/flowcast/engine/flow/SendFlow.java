package io.flowcast.engine.flow;

import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.engine.cc.CongestionControl;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.session.SessionState;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.agrona.DirectBuffer;

/**
 * A sending flow (RFC 7016 §3.6.2): its messages, fragmented into a bounded SEND_QUEUE of sequence-numbered entries
 * whose bytes live in a bounded ring, with the state of each entry (in flight, acknowledged, abandoned, NAK count,
 * transmission sequence number) kept in parallel arrays indexed by sequence number. Owned by the endpoint's agent
 * thread: call {@link #offer} there (from a {@link FlowListener} or {@link SessionListener} callback,
 * {@link RtmfpEndpoint#execute}, or the invoker's thread); the statistics accessors are plain reads meant for that
 * thread too, except the latency {@link #latencyRecorder() recorder}, which any thread may sample. This class is the
 * application's side; the entry rules the session's flows drive are in {@link SendQueue}, the storage in
 * {@link SendBuffer} (final, so no call is virtual).
 */
public final class SendFlow extends SendQueue
{
    SendFlow(
        final Session session,
        final SessionFlows flows,
        final long flowId,
        final byte[] metadata,
        final long returnFlowId,
        final FlowOptions options,
        final int maxFragmentLength)
    {
        super(session, flows, flowId, metadata, returnFlowId, options, maxFragmentLength);
    }

    // ------------------------------------------------------------------------------------------------------- API

    /**
     * Queue one message with the defaults: {@link #PRIORITY_NORMAL}, no deadline, not time-critical.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length.
     * @return the first sequence number of the message (positive), or an {@link OfferStatus} code.
     */
    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return offer(buffer, offset, length, PRIORITY_NORMAL, 0, false);
    }

    /**
     * Queue one message (§3.6.2.2). The bytes are copied; the buffer is free on return. Agent thread only.
     *
     * @param buffer       holds the message.
     * @param offset       where it starts.
     * @param length       its length (0 allowed).
     * @param priority     {@link #PRIORITY_LOW} .. {@link #PRIORITY_HIGHEST}: among the session's flows, the one
     *                     whose next fragment has the highest priority is sent first.
     * @param lifetimeNs   after this long unacknowledged the message is abandoned (§3.6.2.7) and the flow's forward
     *                     sequence number moves past it; 0 for never.
     * @param timeCritical marks the packets carrying it time-critical (§2.2.4 TC, §3.5.2.1).
     * @return the first sequence number of the message (positive), or an {@link OfferStatus} code.
     */
    public long offer(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int priority,
        final long lifetimeNs,
        final boolean timeCritical)
    {
        if (SessionState.OPEN != session.state())
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (F_OPEN != state)
        {
            return OfferStatus.CLOSED;
        }
        final int fragments = Math.max(1, (length + maxFragmentLength - 1) / maxFragmentLength);
        if (fragments > maxSlots || (long)length + maxFragmentLength > dataCapacity)
        {
            return OfferStatus.MESSAGE_TOO_LARGE;
        }
        if (nextSn - headSn + fragments > maxSlots ||
            writePosition + length + maxFragmentLength - readPosition > dataCapacity ||
            !flows.reserveQueuedBytes(length))
        {
            backPressured++;
            return OfferStatus.BACK_PRESSURED;
        }
        if (nextSn - headSn + fragments > mask + 1)
        {
            growSlots(nextSn - headSn + fragments);
        }
        if (writePosition + length + maxFragmentLength - readPosition > ringCapacity)
        {
            growRing(writePosition + length + maxFragmentLength - readPosition);
        }
        final long nowNs = flows.nowNs();
        final long deadline = lifetimeNs > 0 ? nowNs + lifetimeNs : Long.MAX_VALUE;
        final int tcBit = timeCritical ? TIME_CRITICAL : 0;
        final byte prio = (byte)Math.max(PRIORITY_LOW, Math.min(PRIORITY_HIGHEST, priority));
        final long firstSn = nextSn;
        int remaining = length;
        int cursor = offset;
        for (int i = 0; i < fragments; i++)
        {
            final int fragmentLength = Math.min(remaining, maxFragmentLength);
            final int fra;
            if (1 == fragments)
            {
                fra = UserDataChunk.FRAGMENT_WHOLE;
            }
            else if (0 == i)
            {
                fra = UserDataChunk.FRAGMENT_BEGIN;
            }
            else if (fragments - 1 == i)
            {
                fra = UserDataChunk.FRAGMENT_END;
            }
            else
            {
                fra = UserDataChunk.FRAGMENT_MIDDLE;
            }
            final long position = allocate(fragmentLength);
            if (fragmentLength > 0)
            {
                data.putBytes((int)(position % ringCapacity), buffer, cursor, fragmentLength);
            }
            final int index = (int)(nextSn & mask);
            dataPosition[index] = position;
            dataLength[index] = fragmentLength;
            entryFlags[index] = (byte)(fra | tcBit);
            nakCount[index] = 0;
            transmitSize[index] = 0;
            tsn[index] = 0;
            deadlineNs[index] = deadline;
            queuedNs[index] = nowNs;
            entryPriority[index] = prio;
            nextSn++;
            liveCount++;
            remaining -= fragmentLength;
            cursor += fragmentLength;
        }
        messagesOffered++;
        flows.requestFlush();
        return firstSn;
    }

    /**
     * Bring forward the deadline of the messages queued from sequence number {@code fromSn} up to (not including)
     * {@code toSn}: those not delivered within {@code withinNs} from now are abandoned (§3.6.2.7), deadlines already
     * sooner stay, and messages queued without a lifetime (e.g. codec configuration) are left alone. A media publisher uses it at a keyframe to give up on the rest of the previous GOP, as Flash and the
     * reference publisher do. Agent thread only.
     *
     * @param fromSn   the first sequence number, as {@link #offer} returned it.
     * @param toSn     the sequence number after the last, e.g. what {@link #offer} returned for the next message.
     * @param withinNs how long they may still take.
     * @return fragments whose deadline moved.
     */
    public int expire(final long fromSn, final long toSn, final long withinNs)
    {
        final long deadline = flows.nowNs() + Math.max(0, withinNs);
        int moved = 0;
        for (long sn = Math.max(fromSn, headSn), end = Math.min(toSn, nextSn); sn < end; sn++)
        {
            final int index = (int)(sn & mask);
            if (Long.MAX_VALUE != deadlineNs[index] && deadline - deadlineNs[index] < 0)
            {
                deadlineNs[index] = deadline;
                moved++;
            }
        }
        if (moved > 0)
        {
            flows.requestFlush(); // nextEligible abandons what expires
        }
        return moved;
    }

    /**
     * Close the flow in order (§3.6.2.11): queued messages are still delivered, the last sequence number is marked
     * final, and the flow completes when the far end has acknowledged everything. Agent thread only.
     */
    public void close()
    {
        if (F_OPEN != state)
        {
            return;
        }
        state = F_CLOSING;
        final long tailSn = nextSn - 1;
        if (nextSn > headSn && 0 == (entryFlags[(int)(tailSn & mask)] & (EVER_SENT | ACKED)))
        {
            finalSn = tailSn;
        }
        else
        {
            // a new abandoned entry carries the final flag
            if (nextSn - headSn + 1 > maxSlots)
            {
                // queue full: the final flag waits for room (trimHead retries)
                finalSn = -2;
                return;
            }
            if (nextSn - headSn + 1 > mask + 1)
            {
                growSlots(nextSn - headSn + 1);
            }
            appendAbandonedFinal((int)(nextSn & mask));
        }
        flows.requestFlush();
    }

    /**
     * @return this flow's ID (§3.6.1.1).
     */
    public long flowId()
    {
        return flowId;
    }

    /**
     * @return the session it belongs to.
     */
    public Session session()
    {
        return session;
    }

    /**
     * @return a copy of the per-flow metadata.
     */
    public byte[] metadata()
    {
        final byte[] copy = new byte[metadata.capacity()];
        metadata.getBytes(0, copy);
        return copy;
    }

    /**
     * @return the receiving flow this one answers (Return Flow Association), or -1.
     */
    public long returnFlowId()
    {
        return returnFlowId;
    }

    /**
     * @return {@link #F_OPEN}, {@link #F_CLOSING}, {@link #F_COMPLETE_LINGER} or {@link #F_CLOSED}.
     */
    public int state()
    {
        return state;
    }

    /**
     * @return true when the far end rejected the flow (Flow Exception Report).
     */
    public boolean isRejected()
    {
        return exception;
    }

    /**
     * @return the far end's exception code, when {@link #isRejected()}.
     */
    public long exceptionCode()
    {
        return exceptionCode;
    }

    /**
     * @return bytes of user data chunks in flight (F_OUTSTANDING_BYTES).
     */
    public long bytesInFlight()
    {
        return outstandingBytes;
    }

    /**
     * @return fragments in flight.
     */
    public long fragmentsInFlight()
    {
        return outstandingFragments;
    }

    /**
     * @return message bytes queued and not yet acknowledged or abandoned.
     */
    public long bytesQueued()
    {
        return writePosition - readPosition;
    }

    /**
     * How long the oldest message still queued (not yet acknowledged or trimmed) has waited: a player's backlog.
     * Agent thread only; allocation-free.
     *
     * @param nowNs {@link System#nanoTime()} now.
     * @return its age in ns, 0 when nothing is queued.
     */
    public long oldestQueuedAgeNs(final long nowNs)
    {
        return headSn < nextSn ? Math.max(0, nowNs - queuedNs[(int)(headSn & mask)]) : 0;
    }

    /**
     * @return entries in the send queue (fragments not yet acknowledged or trimmed).
     */
    public long fragmentsQueued()
    {
        return nextSn - headSn;
    }

    /**
     * @return messages accepted by {@link #offer}.
     */
    public long messagesOffered()
    {
        return messagesOffered;
    }

    /**
     * @return messages offered and neither acknowledged nor abandoned yet (queued or in flight).
     */
    public long messagesOutstanding()
    {
        return messagesOffered - messagesAcknowledged - messagesAbandoned;
    }

    /**
     * @return messages whose last fragment the far end acknowledged.
     */
    public long messagesAcknowledged()
    {
        return messagesAcknowledged;
    }

    /**
     * @return fragment transmissions, first sends and retransmissions.
     */
    public long fragmentsSent()
    {
        return fragmentsSent;
    }

    /**
     * @return fragments sent again after loss or timeout.
     */
    public long retransmissions()
    {
        return retransmissions;
    }

    /**
     * @return messages abandoned (deadline passed, or the far end rejected the flow).
     */
    public long messagesAbandoned()
    {
        return messagesAbandoned;
    }

    /**
     * @return offers refused with {@link OfferStatus#BACK_PRESSURED}.
     */
    public long backPressuredCount()
    {
        return backPressured;
    }

    /**
     * @return Buffer Probes sent while the far end's receive window was closed.
     */
    public long bufferProbesSent()
    {
        return bufferProbesSent;
    }

    /**
     * @return the far end's last receive window advertisement in bytes (RX_BUFFER_SIZE).
     */
    public long receiveWindow()
    {
        return rxBufferSize;
    }

    /**
     * @return the congestion window governing this flow: its own strategy's, or the session's.
     */
    public long congestionWindow()
    {
        return null != ownCongestionControl ? ownCongestionControl.window() : flows.congestionControl().window();
    }

    /**
     * @return the congestion control strategy governing this flow.
     */
    public CongestionControl congestionControl()
    {
        return null != ownCongestionControl ? ownCongestionControl : flows.congestionControl();
    }

    /**
     * Write-to-acknowledgement latency of each message in microseconds (offer until the far end acknowledged its last
     * fragment). Sample it from any thread with {@link Recorder#getIntervalHistogram(Histogram)}.
     *
     * @return the recorder, or null when the flow was opened without latency measurement.
     */
    public Recorder latencyRecorder()
    {
        return latencyRecorder;
    }

    /**
     * @param attachment any object the application wants to find again with the flow.
     */
    public void attachment(final Object attachment)
    {
        this.attachment = attachment;
    }

    /**
     * @return the application's attachment.
     */
    public Object attachment()
    {
        return attachment;
    }

    @Override
    public String toString()
    {
        return "SendFlow{" + flowId + ", state=" + state + ", queued=" + fragmentsQueued() + ", inFlight=" +
            outstandingFragments + '}';
    }
}
