package io.flowcast.engine.session;

import io.flowcast.engine.endpoint.EndpointHandshakeTest;
import io.flowcast.engine.endpoint.RecordingListener;
import io.flowcast.engine.endpoint.RtmfpEndpoint;

import io.flowcast.engine.transport.DatagramHandler;
import io.flowcast.engine.transport.DatagramTransport;
import io.flowcast.engine.transport.UdpTransport;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * §3.5.4.2: the client's packets start coming from another port (as after a NAT rebinding); the server probes the
 * new address with a mobility Ping and moves DESTADDR only when the matching Ping Reply returns from there.
 */
@Tag("slow")
@Timeout(30)
class AddressMobilityTest
{
    /**
     * Two sockets, one of which sends; both are read.
     */
    static final class RebindingTransport implements DatagramTransport
    {
        private final UdpTransport first = new UdpTransport(List.of(new InetSocketAddress("127.0.0.1", 0)), 8192, 0);
        private final UdpTransport second = new UdpTransport(List.of(new InetSocketAddress("127.0.0.1", 0)), 8192, 0);
        volatile boolean moved;

        public int poll(final DatagramHandler handler, final int limit)
        {
            return first.poll(handler, limit) + second.poll(handler, limit);
        }

        public int send(
            final int channel, final DirectBuffer buffer, final int offset, final int length,
            final InetSocketAddress destination)
        {
            return (moved ? second : first).send(-1, buffer, offset, length, destination);
        }

        public int channelCount()
        {
            return 1;
        }

        public InetSocketAddress localAddress(final int channel)
        {
            return (moved ? second : first).localAddress(0);
        }

        public void close()
        {
            first.close();
            second.close();
        }
    }

    @Test
    void serverFollowsAVerifiedAddressChange() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        final RebindingTransport rebinding = new RebindingTransport();
        final int oldPort = rebinding.localAddress(0).getPort();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(serverEvents));
            RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(clientEvents)
                .transport(rebinding).keepaliveInterval(20, TimeUnit.MILLISECONDS)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            assertThat(clientEvents.awaitOpened()).isNotNull();
            final Session serverSession = serverEvents.awaitOpened();
            assertThat(serverSession.farAddress().getPort()).isEqualTo(oldPort);

            rebinding.moved = true;
            final int newPort = rebinding.localAddress(0).getPort();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            final int[] port = { oldPort };
            while (port[0] != newPort && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
                final CountDownLatch read = new CountDownLatch(1);
                server.execute(() ->
                {
                    port[0] = serverSession.farAddress().getPort();
                    read.countDown();
                });
                read.await(1, TimeUnit.SECONDS);
            }
            assertThat(port[0]).isEqualTo(newPort);
            assertThat(server.counters().addressChanges.get()).isEqualTo(1);
            assertThat(serverSession.state()).isEqualTo(SessionState.OPEN);
        }
    }
}
