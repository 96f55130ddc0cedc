package io.flowcast.cli;

import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.rtmfp.CloseReason;
import io.flowcast.engine.rtmfp.EndpointContext;
import io.flowcast.engine.rtmfp.RtmfpEndpoint;
import io.flowcast.engine.rtmfp.Session;
import io.flowcast.engine.rtmfp.SessionListener;
import io.flowcast.engine.status.CountersFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class ServerCommandTest
{
    @TempDir
    Path dir;

    @Test
    void serverAcceptsASessionShowsCountersAndClosesItOnStop() throws Exception
    {
        final int port = freePortBelowCorePorts();
        final ServerCommand command = new ServerCommand();
        final StringWriter out = new StringWriter();
        final CommandLine commandLine = new CommandLine(command)
            .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        final Path counters = dir.resolve("counters");
        final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(
            "--rtmfp", "127.0.0.1:" + port,
            "--counters-dir", counters.toString(),
            "--set", "identity.key-file=" + dir.resolve("identity.key")));

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!out.toString().contains("fingerprint") && !exit.isDone() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertThat(out.toString()).contains("RTMFP on udp /127.0.0.1:" + port).contains("fingerprint");

        final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final SessionListener listener = new SessionListener()
        {
            public void onSessionOpened(final Session session)
            {
                events.add(session);
            }

            public void onSessionClosed(final Session session, final CloseReason reason)
            {
                events.add(reason);
            }

            public void onOpenFailed(final long openId, final CloseReason reason)
            {
                events.add(reason);
            }
        };
        final SecureRandom random = new SecureRandom();
        try (RtmfpEndpoint client = RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(new SessionKeying(random, DiffieHellmanGroup.ALL_GROUPS, null, Negotiation.REQUIRED,
                DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null))
            .acceptIncoming(false)
            .listener(listener)))
        {
            client.connect("rtmfp://127.0.0.1:" + port + "/live");
            assertThat(events.poll(10, TimeUnit.SECONDS)).isInstanceOf(Session.class);
            try (CountersFile file = CountersFile.openReadOnly(counters))
            {
                final StringBuilder labels = new StringBuilder();
                file.reader().forEach((id, type, key, label) ->
                    labels.append(label).append('=').append(file.reader().getCounterValue(id)).append('\n'));
                assertThat(labels.toString())
                    .contains("rtmfp: sessions open=1", "rtmfp: handshakes: responder opened=1")
                    .containsPattern("rtmfp: session [0-9a-f]+ /127.0.0.1:[0-9]+ datagrams in=[0-9]+");
            }
            command.requestStop();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.REMOTE_CLOSE);
        }
    }

    static int freePortBelowCorePorts()
    {
        for (int port = 11_000 + (int)(ProcessHandle.current().pid() % 5000); port < 19_000; port++)
        {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", port)))
            {
                return port;
            }
            catch (final java.io.IOException ex)
            {
                // taken: try the next
            }
        }
        throw new IllegalStateException("no free UDP port in 11000..19000");
    }
}
