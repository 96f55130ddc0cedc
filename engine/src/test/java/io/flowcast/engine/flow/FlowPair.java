package io.flowcast.engine.flow;

import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.EndpointHandshakeTest;
import io.flowcast.engine.endpoint.RecordingListener;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;

import io.flowcast.engine.transport.DatagramTransport;
import io.flowcast.engine.transport.ImpairedTransport;
import io.flowcast.engine.transport.UdpTransport;
import org.agrona.concurrent.SystemNanoClock;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client and a server endpoint in invoker mode, driven by the test thread, with an open session between them; each
 * side's datagrams may go through an {@link ImpairedTransport} (seeded loss, duplication, delay and reordering).
 */
public final class FlowPair implements AutoCloseable
{
    public final RtmfpEndpoint server;
    public final RtmfpEndpoint client;
    public final Session clientSession;
    public final Session serverSession;
    public final ImpairedTransport serverTransport;
    public final ImpairedTransport clientTransport;

    public FlowPair(
        final FlowListener serverFlows,
        final FlowListener clientFlows,
        final double loss,
        final double duplication,
        final long jitterNs,
        final long seed,
        final Consumer<EndpointContext> tweak) throws Exception
    {
        this(serverFlows, clientFlows, loss, duplication, jitterNs, seed, tweak, null, null);
    }

    public FlowPair(
        final FlowListener serverFlows,
        final FlowListener clientFlows,
        final double loss,
        final double duplication,
        final long jitterNs,
        final long seed,
        final Consumer<EndpointContext> tweak,
        final LongPredicate serverDrop,
        final LongPredicate clientDrop) throws Exception
    {
        final SystemNanoClock clock = new SystemNanoClock();
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        serverTransport = impaired(clock, seed, loss, duplication, jitterNs, serverDrop);
        clientTransport = impaired(clock, seed + 1, loss, duplication, jitterNs, clientDrop);
        final EndpointContext serverContext = EndpointHandshakeTest.server(serverEvents)
            .threading(EndpointContext.Threading.INVOKER)
            .transport(serverTransport)
            .flowListener(serverFlows);
        final EndpointContext clientContext = EndpointHandshakeTest.client(clientEvents)
            .threading(EndpointContext.Threading.INVOKER)
            .helloInterval(100, TimeUnit.MILLISECONDS)
            .transport(clientTransport)
            .flowListener(clientFlows);
        if (null != tweak)
        {
            tweak.accept(serverContext);
            tweak.accept(clientContext);
        }
        server = RtmfpEndpoint.launch(serverContext);
        client = RtmfpEndpoint.launch(clientContext);
        client.connectToFingerprint(server.fingerprint(), server.localAddresses());
        pumpUntil(() -> !clientEvents.opened.isEmpty() && !serverEvents.opened.isEmpty(), 30);
        clientSession = clientEvents.opened.poll();
        serverSession = serverEvents.opened.poll();
        assertThat(clientSession).as("client session opened").isNotNull();
        assertThat(serverSession).as("server session opened").isNotNull();
    }

    private static ImpairedTransport impaired(
        final SystemNanoClock clock, final long seed, final double loss, final double duplication, final long jitterNs,
        final LongPredicate drop)
    {
        final DatagramTransport udp = new UdpTransport(List.of(new InetSocketAddress("127.0.0.1", 0)), 8192, 1 << 22);
        return new ImpairedTransport(udp, clock, seed, loss, duplication, 0, jitterNs, drop, 8192, 8192);
    }

    public void doWork()
    {
        server.doWork();
        client.doWork();
    }

    /**
     * Run both duty cycles until {@code done} or the time is up.
     *
     * @return whether {@code done} became true.
     */
    public boolean pumpUntil(final BooleanSupplier done, final long seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            doWork();
        }
        return true;
    }

    /**
     * @return both ends' view of a flow, for failure messages.
     */
    public String describe(final SendFlow flow, final ReceiveFlow receiver)
    {
        return "sender " + flow + " head=" + flow.headSn + " next=" + flow.nextSn + " scan=" + flow.scanSn +
            " live=" + flow.liveCount + " sent=" + flow.fragmentsSent() + " retransmitted=" + flow.retransmissions() +
            " rwnd=" + flow.rxBufferSize + " out=" + flow.outstandingBytes + " cwnd=" +
            clientSession.congestionWindow() + " erto=" + clientSession.ertoMillis() + "; receiver " + receiver +
            (null == receiver ? "" : " base=" + receiver.base + " highest=" + receiver.highestSeen + " delivered=" +
            receiver.messagesDelivered() + " " + receiver.slotDump());
    }

    @Override
    public void close()
    {
        client.close();
        server.close();
    }
}
