package io.flowcast.cli;

import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Tag("slow")
@Timeout(60)
class ConnectCommandTest
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        return new CommandLine(new FlowcastCli())
            .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
            .execute(args);
    }

    private static RtmfpEndpoint server()
    {
        return RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(SessionKeying.server(new SecureRandom())));
    }

    @Test
    void connectsToOurServerPrintsEveryStepFingerprintAndPingsThenClosesOrderly()
    {
        try (RtmfpEndpoint server = server())
        {
            final int port = server.localAddresses().get(0).getPort();
            final int exit = run("connect", "--pings", "2", "rtmfp://127.0.0.1:" + port + "/live");
            final String text = out.toString();
            assertThat(exit).as(text + err).isZero();
            assertThat(text)
                .containsPattern("ms  IHello sent to /127\\.0\\.0\\.1:" + port)
                .containsPattern("ms  RHello from /127\\.0\\.0\\.1:" + port)
                .contains("IIKeying sent to", "RIKeying received", "open (session ")
                .contains("fingerprint " + HexFormat.of().formatHex(server.fingerprint()))
                .containsPattern("ping 1: \\d+\\.\\d{3} ms")
                .containsPattern("ping 2: \\d+\\.\\d{3} ms")
                .contains("closed (LOCAL_CLOSE)");
            assertThat(text.indexOf("RHello")).isLessThan(text.indexOf("IIKeying"));
            assertThat(text.indexOf("RIKeying")).isLessThan(text.indexOf("open ("));
        }
    }

    @Test
    void connectsByFingerprintAndIpv4Only()
    {
        try (RtmfpEndpoint server = server())
        {
            final int port = server.localAddresses().get(0).getPort();
            final String fingerprint = HexFormat.of().formatHex(server.fingerprint());
            final int exit = run("connect", "-4", "--pings", "1", "--fingerprint", fingerprint,
                "rtmfp://127.0.0.1:" + port + "/");
            assertThat(exit).as(out.toString() + err).isZero();
            assertThat(out.toString()).contains("(by fingerprint)", "fingerprint " + fingerprint);
        }
    }

    @Test
    void wrongFingerprintIsNotAnswered()
    {
        try (RtmfpEndpoint server = server())
        {
            final int port = server.localAddresses().get(0).getPort();
            final int exit = run("connect", "--timeout", "1", "--fingerprint", "ab".repeat(32),
                "rtmfp://127.0.0.1:" + port + "/");
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("no RHello", "not that endpoint");
        }
    }

    @Test
    void closedPortFailsWithNothingListening() throws IOException
    {
        final int port = freeUdpPort();
        final int exit = run("connect", "--timeout", "1", "rtmfp://127.0.0.1:" + port + "/live");
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains("IHello sent to /127.0.0.1:" + port).doesNotContain("RHello");
        assertThat(err.toString())
            .contains("FAILED: no RHello", "UDP blocked or nothing listening at /127.0.0.1:" + port);
    }

    @Test
    void malformedUriIsOneLineAndExitOne()
    {
        assertThat(run("connect", "http://example/")).isEqualTo(1);
        assertThat(err.toString()).contains("not an rtmfp://");
    }

    @ParameterizedTest
    @ValueSource(strings = { "tcserver", "echoserver" })
    void connectsToTheReferenceServers(final String name) throws Exception
    {
        final String env = System.getenv("FLOWCAST_REFERENCE_BIN");
        final Path binary = Path.of(null != env ? env : "/tmp/rtmfp-ref/src/test").resolve(name);
        assumeTrue(Files.isExecutable(binary), "reference binary " + binary + " not present");
        final int port = freeUdpPort();
        final Process process = new ProcessBuilder(binary.toString(), "-B", "127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            Thread.sleep(300); // let it bind; our IHello back-off covers a late start anyway
            final int exit = run("connect", "--timeout", "10", "rtmfp://127.0.0.1:" + port + "/live");
            assertThat(exit).as(out.toString() + err).isZero();
            assertThat(out.toString()).contains("RIKeying received", "open (session ", "closed (")
                .containsPattern("fingerprint [0-9a-f]{64}")
                .containsPattern("ping 3: \\d+\\.\\d{3} ms");
        }
        finally
        {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void diagnosisNamesTheStepAndTheLikelyCause() throws Exception
    {
        final java.util.List<InetSocketAddress> candidates = java.util.List.of(new InetSocketAddress("192.0.2.1", 1935));
        final ConnectCommand command = new ConnectCommand();

        final ConnectCommand.Progress redirected = command.new Progress();
        redirected.redirectedTo.add(new InetSocketAddress("10.1.2.3", 1935));
        assertThat(ConnectCommand.diagnosis(redirected, candidates, false))
            .contains("private address /10.1.2.3:1935", "behind NAT and does not advertise its public address");

        final ConnectCommand.Progress keying = command.new Progress();
        keying.rhelloFrom = candidates.get(0);
        keying.iikeyingSent = true;
        assertThat(ConnectCommand.diagnosis(keying, candidates, false))
            .contains("no RIKeying after IIKeying", "crypto or HMAC/sequence-number requirements differ");
        keying.failed = io.flowcast.engine.session.CloseReason.KEYING_FAILED;
        keying.rikeyingReceived = true;
        assertThat(ConnectCommand.diagnosis(keying, candidates, false)).contains("keying refused (KEYING_FAILED)");

        final ConnectCommand.Progress other = command.new Progress();
        other.notSelectedFrom = candidates.get(0);
        assertThat(ConnectCommand.diagnosis(other, candidates, false)).contains("is not that endpoint");
    }

    static int freeUdpPort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            return socket.getLocalPort();
        }
    }
}
