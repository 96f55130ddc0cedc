package io.flowcast.engine.rtmfp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
@Timeout(60)
class ReferencePeerInteropTest
{
    static Path referenceBin()
    {
        final String env = System.getenv("FLOWCAST_REFERENCE_BIN");
        return Paths.get(null != env && !env.isBlank() ? env : "/tmp/rtmfp-ref/src/test");
    }

    static Path binary(final String name)
    {
        final Path path = referenceBin().resolve(name);
        assumeTrue(Files.isExecutable(path), "reference binary " + path + " not present");
        return path;
    }

    @Test
    void referenceInitiatorOpensASessionWithOurResponder() throws Exception
    {
        final Path tcconn = binary("tcconn");
        final RecordingListener events = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(events)))
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
                Thread.sleep(500);
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

    @Test
    void ourInitiatorOpensASessionWithTheReferenceResponder() throws Exception
    {
        final Path tcserver = binary("tcserver");
        final int port = freeUdpPort();
        final Path log = Files.createTempFile("tcserver", ".log");
        final Process process = new ProcessBuilder(tcserver.toString(), "-B", "127.0.0.1:" + port, "-v")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final RecordingListener events = new RecordingListener();
        try (RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(events)))
        {
            Thread.sleep(300); // let tcserver bind; our IHello back-off would cover a late start anyway
            client.connect("rtmfp://127.0.0.1:" + port + "/live");
            final Session session = events.awaitOpened();
            assertThat(session).isNotNull();
            assertThat(session.isInitiator()).isTrue();
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

    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            return socket.getLocalPort();
        }
    }
}
