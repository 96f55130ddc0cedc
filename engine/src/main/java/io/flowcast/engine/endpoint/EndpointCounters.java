package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.Session;

import io.flowcast.crypto.PacketProtection;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The endpoint's counters, allocated from an Agrona {@link CountersManager} (a {@code CountersFile} makes them
 * visible to {@code flowcast stat}), and the per-session counters. The fields are the counters themselves, public for
 * the endpoint's packages (startup, session, flow); written only by the agent thread, read from anywhere.
 */
public final class EndpointCounters implements AutoCloseable
{
    public final AtomicCounter datagramsIn;
    public final AtomicCounter bytesIn;
    public final AtomicCounter datagramsOut;
    public final AtomicCounter bytesOut;
    public final AtomicCounter sendDropped;
    public final AtomicCounter dropTruncated;
    public final AtomicCounter dropUnknownSession;
    public final AtomicCounter dropMalformedPacket;
    public final AtomicCounter dropWrongState;
    public final AtomicCounter dropRateLimited;
    public final AtomicCounter dropRateLimitedPerAddress;
    public final AtomicCounter dropBadCookie;
    public final AtomicCounter dropNotSelected;
    public final AtomicCounter dropUnknownTag;
    public final AtomicCounter malformedChunks;
    public final AtomicCounter ignoredChunks;
    public final AtomicCounter sendFlowsOpened;
    public final AtomicCounter receiveFlowsOpened;
    public final AtomicCounter flowsRejected;
    public final AtomicCounter flowExceptionsReceived;
    public final AtomicCounter fragmentsSent;
    public final AtomicCounter fragmentsRetransmitted;
    public final AtomicCounter fragmentsReceived;
    public final AtomicCounter duplicateFragments;
    public final AtomicCounter fragmentsDroppedNoRoom;
    public final AtomicCounter messagesDelivered;
    public final AtomicCounter messagesAbandoned;
    public final AtomicCounter acksSent;
    public final AtomicCounter acksReceived;
    public final AtomicCounter retransmissionTimeouts;
    public final AtomicCounter bufferProbesSent;
    public final AtomicCounter userDataDropped;
    public final AtomicCounter[] decryptFailures = new AtomicCounter[8];
    public final AtomicCounter handshakesRespondedOpen;
    public final AtomicCounter handshakesInitiatedOpen;
    public final AtomicCounter handshakesKeyingFailed;
    public final AtomicCounter handshakesTimedOut;
    public final AtomicCounter handshakesRefusedLimit;
    public final AtomicCounter handshakesGlare;
    public final AtomicCounter handshakesDuplicate;
    public final AtomicCounter duplicateIIKeying;
    public final AtomicCounter rhelloSent;
    public final AtomicCounter redirectsFollowed;
    public final AtomicCounter cookieChanges;
    public final AtomicCounter addressChanges;
    public final AtomicCounter sessionsOpen;
    public final AtomicCounter sessionsOpened;
    public final AtomicCounter sessionsClosedOrderly;
    public final AtomicCounter sessionsClosedAbrupt;
    public final AtomicCounter sessionsDeadPeer;
    public final AtomicCounter pingsSent;
    public final AtomicCounter pingRepliesSent;
    public final AtomicCounter rttSamples;
    public final AtomicCounter receiveRingFull;
    public final AtomicCounter listenerErrors;
    public final AtomicCounter sessionCountersUnavailable;
    public final AtomicCounter sendRingFull;

    private final AtomicCounter[] all;
    private final CountersManager manager;
    private final String prefix;

    EndpointCounters(final CountersManager manager, final String prefix)
    {
        this.manager = manager;
        this.prefix = prefix;
        int i = 0;
        final AtomicCounter[] list = new AtomicCounter[96];
        list[i++] = datagramsIn = manager.newCounter(prefix + "datagrams in");
        list[i++] = bytesIn = manager.newCounter(prefix + "bytes in");
        list[i++] = datagramsOut = manager.newCounter(prefix + "datagrams out");
        list[i++] = bytesOut = manager.newCounter(prefix + "bytes out");
        list[i++] = sendDropped = manager.newCounter(prefix + "datagrams not sent (socket)");
        list[i++] = dropTruncated = manager.newCounter(prefix + "drop: truncated datagram");
        list[i++] = dropUnknownSession = manager.newCounter(prefix + "drop: unknown session ID");
        list[i++] = dropMalformedPacket = manager.newCounter(prefix + "drop: malformed packet header");
        list[i++] = dropWrongState = manager.newCounter(prefix + "drop: chunk not valid in session state");
        list[i++] = dropRateLimited = manager.newCounter(prefix + "drop: startup packet rate limit");
        list[i++] = dropRateLimitedPerAddress = manager.newCounter(prefix + "drop: startup packet rate per address");
        list[i++] = dropBadCookie = manager.newCounter(prefix + "drop: IIKeying bad or expired cookie");
        list[i++] = dropNotSelected = manager.newCounter(prefix + "drop: IHello EPD does not select us");
        list[i++] = dropUnknownTag = manager.newCounter(
            prefix + "drop: RHello/Redirect/Cookie Change unknown tag or cookie");
        list[i++] = malformedChunks = manager.newCounter(prefix + "drop: malformed chunk");
        list[i++] = ignoredChunks = manager.newCounter(prefix + "chunks ignored (type not handled)");
        list[i++] = sendFlowsOpened = manager.newCounter(prefix + "flows: sending flows opened");
        list[i++] = receiveFlowsOpened = manager.newCounter(prefix + "flows: receiving flows opened");
        list[i++] = flowsRejected = manager.newCounter(prefix + "flows: receiving flows rejected");
        list[i++] = flowExceptionsReceived = manager.newCounter(prefix + "flows: exception reports received");
        list[i++] = fragmentsSent = manager.newCounter(prefix + "flows: fragments sent");
        list[i++] = fragmentsRetransmitted = manager.newCounter(prefix + "flows: fragments retransmitted");
        list[i++] = fragmentsReceived = manager.newCounter(prefix + "flows: fragments received");
        list[i++] = duplicateFragments = manager.newCounter(prefix + "flows: duplicate fragments received");
        list[i++] = fragmentsDroppedNoRoom = manager.newCounter(prefix + "flows: fragments dropped (no room)");
        list[i++] = messagesDelivered = manager.newCounter(prefix + "flows: messages delivered");
        list[i++] = messagesAbandoned = manager.newCounter(prefix + "flows: messages abandoned");
        list[i++] = acksSent = manager.newCounter(prefix + "flows: acknowledgements sent");
        list[i++] = acksReceived = manager.newCounter(prefix + "flows: acknowledgements received");
        list[i++] = retransmissionTimeouts = manager.newCounter(prefix + "flows: retransmission timeouts");
        list[i++] = bufferProbesSent = manager.newCounter(prefix + "flows: buffer probes sent");
        list[i++] = userDataDropped = manager.newCounter(prefix + "drop: user data chunk (malformed or wrong state)");
        for (int reason = 1; reason <= 6; reason++)
        {
            list[i++] = decryptFailures[reason] = manager.newCounter(
                prefix + "drop: decrypt " + PacketProtection.reasonName(-reason));
        }
        list[i++] = handshakesRespondedOpen = manager.newCounter(prefix + "handshakes: responder opened");
        list[i++] = handshakesInitiatedOpen = manager.newCounter(prefix + "handshakes: initiator opened");
        list[i++] = handshakesKeyingFailed = manager.newCounter(prefix + "handshakes: keying failed");
        list[i++] = handshakesTimedOut = manager.newCounter(prefix + "handshakes: open timeout");
        list[i++] = handshakesRefusedLimit = manager.newCounter(prefix + "handshakes: refused (limit)");
        list[i++] = handshakesGlare = manager.newCounter(prefix + "handshakes: glare resolved");
        list[i++] = handshakesDuplicate = manager.newCounter(prefix + "handshakes: duplicate of an existing session");
        list[i++] = duplicateIIKeying = manager.newCounter(prefix + "handshakes: duplicate IIKeying answered");
        list[i++] = rhelloSent = manager.newCounter(prefix + "RHello sent");
        list[i++] = redirectsFollowed = manager.newCounter(prefix + "redirect addresses added");
        list[i++] = cookieChanges = manager.newCounter(prefix + "cookie changes followed");
        list[i++] = addressChanges = manager.newCounter(prefix + "far address changes verified");
        list[i++] = sessionsOpen = manager.newCounter(prefix + "sessions open");
        list[i++] = sessionsOpened = manager.newCounter(prefix + "sessions opened");
        list[i++] = sessionsClosedOrderly = manager.newCounter(prefix + "sessions closed orderly");
        list[i++] = sessionsClosedAbrupt = manager.newCounter(prefix + "sessions closed abruptly");
        list[i++] = sessionsDeadPeer = manager.newCounter(prefix + "sessions closed: dead peer");
        list[i++] = pingsSent = manager.newCounter(prefix + "keepalive pings sent");
        list[i++] = pingRepliesSent = manager.newCounter(prefix + "ping replies sent");
        list[i++] = rttSamples = manager.newCounter(prefix + "RTT samples");
        list[i++] = sessionCountersUnavailable = manager.newCounter(prefix + "sessions without counters (file full)");
        list[i++] = listenerErrors = manager.newCounter(prefix + "session listener exceptions");
        list[i++] = receiveRingFull = manager.newCounter(prefix + "drop: receive ring full (dedicated)");
        list[i++] = sendRingFull = manager.newCounter(prefix + "drop: send ring full (dedicated)");
        all = java.util.Arrays.copyOf(list, i);
    }

    /**
     * @param reason a negative {@link PacketProtection} reason.
     */
    void decryptFailed(final int reason)
    {
        final int index = -reason;
        if (index >= 1 && index <= 6)
        {
            decryptFailures[index].incrementRelease();
        }
        else
        {
            dropMalformedPacket.incrementRelease();
        }
    }

    /**
     * Allocate a session's counters (datagrams and bytes in and out, congestion window, bytes in flight, SRTT,
     * retransmissions), labelled with its IDs and far address.
     *
     * @param session an opening session.
     * @return counter IDs indexed like {@link Session#COUNTERS}, or null when the manager has no room (counted).
     */
    public int[] allocateSessionCounters(final Session session)
    {
        final String label = prefix + "session " + Integer.toHexString(session.localSessionId()) + " " +
            session.farAddress() + " ";
        // counter IDs written through the values buffer: no AtomicCounter objects per session (~160 bytes)
        final int[] ids = { -1, -1, -1, -1, -1, -1, -1, -1 };
        try
        {
            ids[Session.DATAGRAMS_IN] = manager.allocate(label + "datagrams in");
            ids[Session.BYTES_IN] = manager.allocate(label + "bytes in");
            ids[Session.DATAGRAMS_OUT] = manager.allocate(label + "datagrams out");
            ids[Session.BYTES_OUT] = manager.allocate(label + "bytes out");
            ids[Session.CWND] = manager.allocate(label + "congestion window bytes");
            ids[Session.BYTES_IN_FLIGHT] = manager.allocate(label + "bytes in flight");
            ids[Session.SRTT_MICROS] = manager.allocate(label + "srtt us");
            ids[Session.RETRANSMISSIONS] = manager.allocate(label + "retransmissions");
            return ids;
        }
        catch (final RuntimeException ex)
        {
            sessionCountersUnavailable.incrementRelease();
            free(ids);
            return null;
        }
    }

    /**
     * @return the values buffer the per-session counters are written through.
     */
    public org.agrona.concurrent.AtomicBuffer valuesBuffer()
    {
        return manager.valuesBuffer();
    }

    /**
     * Free a released session's counters.
     *
     * @param ids what {@link #allocateSessionCounters} returned, or null.
     */
    public void freeSessionCounters(final int[] ids)
    {
        if (null != ids)
        {
            free(ids);
        }
    }

    private void free(final int[] ids)
    {
        for (final int id : ids)
        {
            if (id >= 0)
            {
                manager.free(id);
            }
        }
    }

    private static void free(final AtomicCounter[] counters)
    {
        for (final AtomicCounter counter : counters)
        {
            if (null != counter)
            {
                counter.close();
            }
        }
    }

    @Override
    public void close()
    {
        for (final AtomicCounter counter : all)
        {
            counter.close();
        }
    }
}
