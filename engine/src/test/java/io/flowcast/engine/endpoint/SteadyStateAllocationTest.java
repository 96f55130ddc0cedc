package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.Session;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two endpoints in invoker mode on this thread keep an open session busy: each duty cycle both ends send a Ping
 * (called straight on the agents: same thread), so every cycle receives, decrypts, decodes, answers with a Ping
 * Reply, encrypts, sends, echoes timestamps, samples RTT and runs the timer wheel (keepalive timers are armed too).
 * The thread's allocation counter must not move over those duty cycles.
 */
@Tag("slow")
@Timeout(60)
class SteadyStateAllocationTest
{
    @Test
    void openSessionsPingingAllocateNothing() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(serverEvents)
                .threading(EndpointContext.Threading.INVOKER)
                .keepaliveInterval(1, TimeUnit.MILLISECONDS));
            RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(clientEvents)
                .threading(EndpointContext.Threading.INVOKER)
                .keepaliveInterval(1, TimeUnit.MILLISECONDS)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.openSessions() == 0 && System.nanoTime() < openDeadline)
            {
                server.doWork();
                client.doWork();
            }
            assertThat(client.openSessions()).isEqualTo(1);
            final Session clientSession = clientEvents.opened.poll();
            Session serverSession = null;
            while (null == serverSession && System.nanoTime() < openDeadline)
            {
                server.doWork();
                serverSession = serverEvents.opened.poll();
            }
            assertThat(serverSession).isNotNull();
            final Session[] sessions = { clientSession, serverSession };

            // warm up: let the JIT settle and the maps and the timer wheel reach their steady sizes
            dutyCycles(server, client, sessions, TimeUnit.SECONDS.toNanos(2));

            final StringBuilder report = new StringBuilder("allocated bytes per 300 ms round:");
            long least = Long.MAX_VALUE;
            long packets = 0;
            for (int round = 0; round < 5; round++)
            {
                final long pingsBefore = server.counters().pingRepliesSent.get() +
                    client.counters().pingRepliesSent.get();
                final long before = threads.getThreadAllocatedBytes(threadId);
                dutyCycles(server, client, sessions, TimeUnit.MILLISECONDS.toNanos(300));
                final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
                least = Math.min(least, allocated);
                report.append(' ').append(allocated);
                packets += server.counters().pingRepliesSent.get() + client.counters().pingRepliesSent.get() -
                    pingsBefore;
            }
            System.out.println(report + "; ping replies exchanged: " + packets);
            assertThat(packets).as("ping replies exchanged while measuring").isGreaterThan(1000);
            assertThat(least).as("bytes allocated in the quietest round").isZero();
            assertThat(server.counters().sessionsOpen.get()).isEqualTo(1);
        }
    }

    private static void dutyCycles(
        final RtmfpEndpoint server, final RtmfpEndpoint client, final Session[] sessions, final long durationNs)
    {
        final long end = System.nanoTime() + durationNs;
        while (System.nanoTime() - end < 0)
        {
            sessions[0].sendPing();
            sessions[1].sendPing();
            server.doWork();
            client.doWork();
        }
    }
}
