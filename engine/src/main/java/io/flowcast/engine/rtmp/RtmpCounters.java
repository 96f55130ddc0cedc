package io.flowcast.engine.rtmp;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The RTMP listener's counters, allocated from an Agrona {@link CountersManager} (a {@code CountersFile}'s makes them
 * visible to {@code flowcast stat}). Written only by the listener's agent thread.
 */
final class RtmpCounters implements AutoCloseable
{
    final AtomicCounter connectionsAccepted;
    final AtomicCounter connectionsOpen;
    final AtomicCounter connectionsRefused;
    final AtomicCounter closedByPeer;
    final AtomicCounter closedHandshakeError;
    final AtomicCounter closedProtocolError;
    final AtomicCounter closedStalled;
    final AtomicCounter closedTimeout;
    final AtomicCounter closedByServer;
    final AtomicCounter bytesIn;
    final AtomicCounter bytesOut;
    final AtomicCounter digestHandshakes;

    private final AtomicCounter[] all;

    RtmpCounters(final CountersManager manager, final String prefix)
    {
        int i = 0;
        final AtomicCounter[] list = new AtomicCounter[16];
        list[i++] = connectionsAccepted = manager.newCounter(prefix + "connections accepted");
        list[i++] = connectionsOpen = manager.newCounter(prefix + "connections open");
        list[i++] = connectionsRefused = manager.newCounter(prefix + "connections refused (limit)");
        list[i++] = closedByPeer = manager.newCounter(prefix + "connections closed by peer");
        list[i++] = closedHandshakeError = manager.newCounter(prefix + "connections closed: handshake garbage");
        list[i++] = closedProtocolError = manager.newCounter(prefix + "connections closed: malformed chunk stream");
        list[i++] = closedStalled = manager.newCounter(prefix + "connections closed: stalled socket");
        list[i++] = closedTimeout = manager.newCounter(prefix + "connections closed: handshake/connect timeout");
        list[i++] = closedByServer = manager.newCounter(prefix + "connections closed by server (rejected, shutdown)");
        list[i++] = bytesIn = manager.newCounter(prefix + "bytes in");
        list[i++] = bytesOut = manager.newCounter(prefix + "bytes out");
        list[i++] = digestHandshakes = manager.newCounter(prefix + "digest (complex) handshakes");
        all = java.util.Arrays.copyOf(list, i);
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
