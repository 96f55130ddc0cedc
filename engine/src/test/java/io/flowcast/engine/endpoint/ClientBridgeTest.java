package io.flowcast.engine.endpoint;

import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Application threads offer into and poll from flows through {@link ClientBridge}s while both endpoints run their own
 * agent threads: every message arrives once, in order, and neither application thread allocates in steady state.
 */
@Tag("slow")
@Timeout(120)
class ClientBridgeTest
{
    private static final int MESSAGES = 300_000;

    @Test
    void producerAndPollerThreadsExchangeMessagesInOrderWithoutAllocating() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final ClientBridge serverBridge = new ClientBridge(1 << 16, 1 << 20, 16);
        final ClientBridge clientBridge = new ClientBridge(1 << 20, 1 << 16, 16);
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(serverEvents)
                .flowListener(serverBridge).clientBridge(serverBridge));
            RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(clientEvents)
                .flowListener(clientBridge).clientBridge(clientBridge)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final Session session = clientEvents.awaitOpened();
            assertThat(session).isNotNull();
            final int handle = clientBridge.openFlow(client, session, "bridged".getBytes(StandardCharsets.UTF_8))
                .get(10, TimeUnit.SECONDS);

            final AtomicLong producerAllocated = new AtomicLong(-1);
            final Thread producer = new Thread(() ->
            {
                final UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
                final long threadId = Thread.currentThread().getId();
                long before = 0;
                for (long i = 0; i < MESSAGES; i++)
                {
                    if (i == MESSAGES / 2)
                    {
                        before = threads.getThreadAllocatedBytes(threadId);
                    }
                    message.putLong(0, i);
                    while (!clientBridge.offer(handle, message, 0, 100, SendFlow.PRIORITY_NORMAL, 0, false))
                    {
                        Thread.onSpinWait();
                    }
                }
                producerAllocated.set(threads.getThreadAllocatedBytes(threadId) - before);
            }, "producer");
            producer.start();

            final long[] next = { 0 };
            final long[] outOfOrder = { 0 };
            final long[] opened = { 0 };
            final ClientBridge.Handler handler = new ClientBridge.Handler()
            {
                @Override
                public void onMessage(
                    final int sessionId, final long flowId, final DirectBuffer buffer, final int offset, final int length)
                {
                    if (buffer.getLong(offset) != next[0])
                    {
                        outOfOrder[0]++;
                    }
                    next[0]++;
                }

                @Override
                public void onFlowOpened(
                    final int sessionId, final long flowId, final DirectBuffer metadata, final int offset,
                    final int length)
                {
                    opened[0]++;
                }
            };
            final long threadId = Thread.currentThread().getId();
            long pollerBefore = -1;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (next[0] < MESSAGES && System.nanoTime() < deadline)
            {
                if (pollerBefore < 0 && next[0] >= MESSAGES / 2)
                {
                    pollerBefore = threads.getThreadAllocatedBytes(threadId);
                }
                if (0 == serverBridge.poll(handler, 256))
                {
                    Thread.onSpinWait();
                }
            }
            final long pollerAllocated = threads.getThreadAllocatedBytes(threadId) - pollerBefore;
            producer.join(TimeUnit.SECONDS.toMillis(30));
            System.out.println("bridged " + next[0] + " messages; producer allocated " + producerAllocated.get() +
                " B, poller " + pollerAllocated + " B in the second half; server dropped " +
                serverBridge.receivedDropped());
            assertThat(opened[0]).isEqualTo(1);
            assertThat(next[0]).isEqualTo(MESSAGES);
            assertThat(outOfOrder[0]).isZero();
            assertThat(serverBridge.receivedDropped()).isZero();
            assertThat(producerAllocated.get()).isZero();
            assertThat(pollerAllocated).isZero();
        }
    }
}
