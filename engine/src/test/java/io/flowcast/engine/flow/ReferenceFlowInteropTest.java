package io.flowcast.engine.flow;

import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.EndpointHandshakeTest;
import io.flowcast.engine.endpoint.RecordingListener;
import io.flowcast.engine.endpoint.ReferencePeerInteropTest;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;

import io.flowcast.crypto.SessionKeying;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flows against the reference implementation's programs as black boxes on loopback (skipped unless the binaries are
 * present; see {@link ReferencePeerInteropTest}): our flows through the reference {@code echoserver} come back whole
 * and in order, fragmented ones included; the reference {@code rtclient} streams its simulated audio and video into
 * an echoing endpoint of ours, refuses our return flows, and keeps streaming with every frame delivered.
 */
@Tag("slow")
@Timeout(120)
class ReferenceFlowInteropTest
{
    @Test
    void ourFlowEchoesThroughTheReferenceEchoServer() throws Exception
    {
        final Path echoserver = ReferencePeerInteropTest.binary("echoserver");
        final int port = ReferencePeerInteropTest.freeUdpPort();
        final Process process = new ProcessBuilder(echoserver.toString(), "-B", "127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(Files.createTempFile("echoserver", ".log").toFile()).start();
        try
        {
            final List<long[]> echoed = new ArrayList<>();
            final List<byte[]> returnMetadata = new ArrayList<>();
            final FlowListener echoes = new FlowListener()
            {
                @Override
                public void onFlowOpened(final ReceiveFlow flow)
                {
                    returnMetadata.add(flow.metadata());
                }

                @Override
                public void onMessage(
                    final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
                {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(offset, bytes);
                    echoed.add(new long[] { buffer.getLong(offset), length, crc(bytes) });
                }
            };
            final RecordingListener events = new RecordingListener();
            try (RtmfpEndpoint client = RtmfpEndpoint.launch(new EndpointContext()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .keying(EndpointHandshakeTest.clientKeying())
                .acceptIncoming(false)
                .helloInterval(200, TimeUnit.MILLISECONDS)
                .threading(EndpointContext.Threading.INVOKER)
                .listener(events)
                .flowListener(echoes)))
            {
                final String uri = "rtmfp://127.0.0.1:" + port + "/echo";
                client.connect(RtmfpEndpoint.uriDiscriminator(uri), List.of(new InetSocketAddress("127.0.0.1", port)));
                final long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (events.opened.isEmpty() && System.nanoTime() < openDeadline)
                {
                    client.doWork();
                }
                final Session session = events.opened.poll();
                assertThat(session).as("session with the reference echoserver").isNotNull();
                final SendFlow flow = session.openFlow("interop".getBytes(StandardCharsets.UTF_8));
                final SplittableRandom random = new SplittableRandom(3);
                final List<long[]> sent = new ArrayList<>();
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
                for (int i = 0; i < 500; i++)
                {
                    final int length = 0 == i % 25 ? 3000 + random.nextInt(20_000) : 8 + random.nextInt(500);
                    final byte[] bytes = new byte[length];
                    random.nextBytes(bytes);
                    new UnsafeBuffer(bytes).putLong(0, i);
                    buffer.wrap(bytes);
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    long rc;
                    while ((rc = flow.offer(buffer, 0, length)) == OfferStatus.BACK_PRESSURED &&
                        System.nanoTime() < deadline)
                    {
                        client.doWork();
                    }
                    assertThat(rc).as("offer %d: %s", i, OfferStatus.name(rc)).isPositive();
                    sent.add(new long[] { i, length, crc(bytes) });
                    client.doWork();
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (echoed.size() < sent.size() && System.nanoTime() < deadline)
                {
                    client.doWork();
                }
                assertThat(returnMetadata).hasSize(1);
                assertThat(new String(returnMetadata.get(0), StandardCharsets.UTF_8)).isEqualTo("interop return");
                assertThat(echoed).hasSize(sent.size());
                for (int i = 0; i < sent.size(); i++)
                {
                    assertThat(echoed.get(i)).as("echo %d", i).containsExactly(sent.get(i));
                }
            }
        }
        finally
        {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void referenceRtclientStreamsIntoOurEchoWithEveryFrameDelivered() throws Exception
    {
        final Path rtclient = ReferencePeerInteropTest.binary("rtclient");
        final long[] messages = new long[1];
        final long[] refused = new long[1];
        final FlowListener echo = new FlowListener()
        {
            @Override
            public void onFlowOpened(final ReceiveFlow flow)
            {
                flow.attachment(flow.session().openFlow(flow.metadata(), flow, new FlowOptions()));
            }

            @Override
            public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
            {
                messages[0]++;
                final SendFlow returnFlow = (SendFlow)flow.attachment();
                if (null != returnFlow)
                {
                    returnFlow.offer(buffer, offset, length);
                }
            }

            @Override
            public void onSendFlowException(final SendFlow flow, final long exceptionCode)
            {
                refused[0]++;
            }
        };
        final RecordingListener events = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(SessionKeying.server(new SecureRandom()))
            .listener(events)
            .flowListener(echo)))
        {
            final int port = server.localAddresses().get(0).getPort();
            final Path log = Files.createTempFile("rtclient", ".log");
            final Process process = new ProcessBuilder(rtclient.toString(), "-4", "127.0.0.1", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try
            {
                assertThat(events.awaitOpened()).isNotNull();
                Thread.sleep(6_000);
            }
            finally
            {
                process.destroy(); // SIGTERM: rtclient shuts down
                process.waitFor(10, TimeUnit.SECONDS);
            }
            // rtclient prints one mark per video frame when it is finished: a letter (K for key frames) when the
            // far end acknowledged it, '!' or '-' when it was abandoned
            // marks printed after "interrupted" belong to rtclient's own shutdown (it abandons what is still
            // queued when we stop it), not to the streaming we judge
            final StringBuilder marks = new StringBuilder();
            for (final String line : Files.readAllLines(log))
            {
                if (!line.contains(":") && !line.startsWith("bound to") && !line.startsWith("end."))
                {
                    final int interrupted = line.indexOf("interrupted");
                    marks.append(interrupted >= 0 ? line.substring(0, interrupted) : line);
                    if (interrupted >= 0)
                    {
                        break;
                    }
                }
            }
            final long delivered = marks.chars().filter((c) -> (c >= 'a' && c <= 'z') || c == 'K').count();
            final long abandoned = marks.chars().filter((c) -> c == '!' || c == '-').count();
            System.out.println("rtclient: " + delivered + " frame marks, " + abandoned + " abandoned; we received " +
                messages[0] + " messages, " + refused[0] + " return flows refused");
            assertThat(messages[0]).as("rtclient's audio and video messages").isGreaterThan(200);
            assertThat(refused[0]).as("rtclient refuses our return flows").isPositive();
            assertThat(abandoned).as("frames rtclient had to abandon").isZero();
            assertThat(delivered).as("frames rtclient saw delivered").isGreaterThan(100);
        }
    }

    private static long crc(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
