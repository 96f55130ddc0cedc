package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionState;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Handshakes against the reference implementation's test programs, run as black boxes on loopback. Skipped unless
 * the binaries are present ({@code FLOWCAST_REFERENCE_BIN} or {@code /tmp/rtmfp-ref/src/test}); nothing here fetches
 * or builds them.
 */
@Tag("slow")
@Timeout(60)
public class ReferencePeerInteropTest
{
    public static Path referenceBin()
    {
        final String env = System.getenv("FLOWCAST_REFERENCE_BIN");
        return Paths.get(null != env && !env.isBlank() ? env : "/tmp/rtmfp-ref/src/test");
    }

    public static Path binary(final String name)
    {
        final Path path = referenceBin().resolve(name);
        assumeTrue(Files.isExecutable(path), "reference binary " + path + " not present");
        return path;
    }

    @ParameterizedTest
    @EnumSource(value = EndpointContext.Threading.class, names = { "SHARED", "DEDICATED" })
    void referenceInitiatorOpensASessionWithOurResponder(final EndpointContext.Threading threading) throws Exception
    {
        final Path tcconn = binary("tcconn");
        final RecordingListener events = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(events).threading(threading)))
        {
            final int port = server.localAddresses().get(0).getPort();
            final Path log = Files.createTempFile("tcconn", ".log");
            final Process process = new ProcessBuilder(
                tcconn.toString(), "-4", "-v", "rtmfp://127.0.0.1:" + port + "/live")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try
            {
                final Session session = events.awaitOpened();
                assertThat(session).isNotNull();
                assertThat(session.isInitiator()).isFalse();
                assertThat(session.farAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
                assertThat(server.openSessions()).isEqualTo(1);
                // tcconn's first session packet (its NetConnection connect on a flow) decrypted under our keys
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (server.counters().fragmentsReceived.get() == 0 && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
                assertThat(server.counters().fragmentsReceived.get()).isPositive();
                // SIGTERM: tcconn shuts down and closes its session; we see it end
                process.destroy();
                assertThat(events.awaitClosed()).isIn(CloseReason.REMOTE_CLOSE, CloseReason.REMOTE_ABORT);
                EndpointHandshakeTest.awaitZero(server);
            }
            finally
            {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
                System.out.println("tcconn output:\n" + Files.readString(log, StandardCharsets.UTF_8));
                Files.deleteIfExists(log);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "-H", "-S", "-H -S" })
    void referenceInitiatorNegotiatesHmacAndSequenceNumbersOnRequest(final String flags) throws Exception
    {
        final Path tcconn = binary("tcconn");
        final RecordingListener events = new RecordingListener();
        // our responder sends HMAC / sequence numbers only when asked; tcconn -H / -S stops asking
        final io.flowcast.crypto.SessionKeying onRequest = new io.flowcast.crypto.SessionKeying(
            EndpointHandshakeTest.RANDOM, io.flowcast.crypto.DiffieHellmanGroup.ALL_GROUPS, null,
            io.flowcast.crypto.Negotiation.ON_REQUEST, 16, io.flowcast.crypto.Negotiation.ON_REQUEST, true, null);
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(events).keying(onRequest)))
        {
            final int port = server.localAddresses().get(0).getPort();
            final java.util.List<String> command =
                new java.util.ArrayList<>(java.util.List.of(tcconn.toString(), "-4"));
            command.addAll(java.util.List.of(flags.split(" ")));
            command.add("rtmfp://127.0.0.1:" + port + "/live");
            final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try
            {
                assertThat(events.awaitOpened()).isNotNull();
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (server.counters().fragmentsReceived.get() == 0 && System.nanoTime() < deadline)
                {
                    Thread.sleep(5);
                }
                assertThat(server.counters().fragmentsReceived.get()).as("tcconn's packet decrypted").isPositive();
            }
            finally
            {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void ourInitiatorOpensASessionWithTheReferenceResponder() throws Exception
    {
        final Path tcserver = binary("tcserver");
        final int port = freeUdpPort();
        final Path log = Files.createTempFile("tcserver", ".log");
        final Process process = new ProcessBuilder(tcserver.toString(), "-B", "127.0.0.1:" + port, "-v")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final RecordingListener events = new RecordingListener();
        try (RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(events)
            .keepaliveInterval(50, TimeUnit.MILLISECONDS)))
        {
            Thread.sleep(300); // let tcserver bind; our IHello back-off would cover a late start anyway
            client.connect("rtmfp://127.0.0.1:" + port + "/live");
            final Session session = events.awaitOpened();
            assertThat(session).isNotNull();
            assertThat(session.isInitiator()).isTrue();
            // keepalive Pings to tcserver every 50 ms of silence: its Ping Replies echo our timestamps
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            final long[] srtt = { -1 };
            while (srtt[0] < 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(20);
                client.execute(() -> srtt[0] = session.srttMillis());
            }
            assertThat(srtt[0]).as("SRTT from the reference peer's timestamp echoes").isGreaterThanOrEqualTo(0);
            assertThat(session.state()).isEqualTo(SessionState.OPEN);
            client.close(session);
            assertThat(events.awaitClosed()).isEqualTo(CloseReason.LOCAL_CLOSE);
            EndpointHandshakeTest.awaitZero(client);
        }
        finally
        {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
            System.out.println("tcserver output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            Files.deleteIfExists(log);
        }
    }

    public static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            return socket.getLocalPort();
        }
    }
}
