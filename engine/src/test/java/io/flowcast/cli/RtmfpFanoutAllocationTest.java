package io.flowcast.cli;

import io.flowcast.engine.media.MediaEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Allocation on the server's agent thread (endpoint, flows, RFC 7425 transport, media core) while one RTMFP publisher
 * feeds RTMFP players, in steady state: sampled with {@code ThreadMXBean.getThreadAllocatedBytes} over 1.5 s windows in
 * the middle of the 20 s file (at 2x). With no player the windows read 0-3 KB; with players about 155 bytes per
 * message and player, which JFR attributes to {@code UdpTransport.poll}: the JDK's {@code DatagramChannel.receive}
 * builds a new source {@code InetSocketAddress} whenever the source differs from the previous datagram's (publisher and
 * players alternate). No sample falls in the fan-out ({@code TcConnection.send}, {@code SendFlow.offer}). The bound
 * below (one byte per message and player) fails if the fan-out allocated per message (a copy of a message, or a new
 * source address per received datagram, would).
 */
@Tag("slow")
@Timeout(120)
class RtmfpFanoutAllocationTest
{
    private static final int PLAYERS = Integer.getInteger("players", 3);

    @Test
    void steadyStateFanOutDoesNotAllocatePerMessage() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final ExecutorService pool = Executors.newCachedThreadPool();
        try (MediaServerHarness server = new MediaServerHarness())
        {
            final CompletableFuture<Long> agentThread = new CompletableFuture<>();
            server.endpoint.execute(() -> agentThread.complete(Thread.currentThread().getId()));
            final long agent = agentThread.get(10, TimeUnit.SECONDS);
            final String uri = server.rtmfpUri("live", "alloc");
            final List<Future<Integer>> players = new ArrayList<>();
            for (int i = 0; i < PLAYERS; i++)
            {
                players.add(pool.submit(() -> RtmfpPublishPlayTest.run(new StringWriter(), new StringWriter(),
                    "play", uri, "--seconds", "60")));
            }
            assertThat(server.await(MediaEvent.PLAY, PLAYERS, 30_000)).isTrue();
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final Future<Integer> publisher = pool.submit(() -> RtmfpPublishPlayTest.run(out, err, "publish",
                RtmfpPublishPlayTest.input("avc-aac-20s-1500k.flv").toString(), uri, "--speed", "2"));
            assertThat(server.await(MediaEvent.PUBLISH, 1, 30_000)).isTrue();
            Thread.sleep(2_000);
            final long[] bytes = new long[4];
            final long[] messages = new long[4];
            for (int i = 0; i < 4; i++)
            {
                final long a0 = threads.getThreadAllocatedBytes(agent);
                final long m0 = server.publishedAudio.get() + server.publishedVideo.get();
                Thread.sleep(1_500);
                bytes[i] = threads.getThreadAllocatedBytes(agent) - a0;
                messages[i] = server.publishedAudio.get() + server.publishedVideo.get() - m0;
            }
            assertThat(publisher.get(60, TimeUnit.SECONDS)).as(out + " " + err).isZero();
            for (final Future<Integer> player : players)
            {
                assertThat(player.get(60, TimeUnit.SECONDS)).isZero();
            }
            System.out.println("server agent thread, 1.5 s windows: allocated bytes " +
                java.util.Arrays.toString(bytes) + " while " + java.util.Arrays.toString(messages) +
                " messages were published to " + PLAYERS + " players");
            long min = Long.MAX_VALUE;
            int quietest = 0;
            for (int i = 0; i < 4; i++)
            {
                assertThat(messages[i]).isPositive();
                if (bytes[i] < min)
                {
                    min = bytes[i];
                    quietest = i;
                }
            }
            // one byte per message and player: any allocation per message (a copy, a source address) is far more
            assertThat(min).as("the quietest window, bytes").isLessThanOrEqualTo((long)messages[quietest] * PLAYERS);
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
