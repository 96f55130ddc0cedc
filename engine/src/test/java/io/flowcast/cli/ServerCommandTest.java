package io.flowcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.rtmp.RawRtmpClient;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.status.CountersFile;
import org.junit.jupiter.api.Tag;
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
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("slow")
@Timeout(60)
class ServerCommandTest
{
    @TempDir
    Path dir;

    @Test
    void serverAcceptsASessionShowsCountersAndClosesItOnStop() throws Exception
    {
        final int port = freeUdpPort();
        final int tcpPort = freeTcpPort();
        final Path counters = dir.resolve("counters");
        final Running server = Running.start(
            "--rtmfp", "127.0.0.1:" + port,
            "--rtmp", "127.0.0.1:" + tcpPort,
            "--counters-dir", counters.toString(),
            "--set", "identity.key-file=" + dir.resolve("identity.key"));
        final ServerCommand command = server.command();
        final StringWriter out = server.out();
        final CompletableFuture<Integer> exit = server.exit();
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
                // the client can see the session open before the server's agent has counted it: wait for the count
                String labels = "";
                for (final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    !labels.contains("rtmfp: sessions open=1") && System.nanoTime() - until < 0; Thread.sleep(10))
                {
                    final StringBuilder text = new StringBuilder();
                    file.reader().forEach((id, type, key, label) ->
                        text.append(label).append('=').append(file.reader().getCounterValue(id)).append('\n'));
                    labels = text.toString();
                }
                assertThat(labels)
                    .contains("rtmfp: sessions open=1", "rtmfp: handshakes: responder opened=1")
                    .containsPattern("rtmfp: session [0-9a-f]+ /127.0.0.1:[0-9]+ datagrams in=[0-9]+");
            }
            final JsonNode open = jsonLine(out, "session-open");
            assertThat(open.get("role").asText()).isEqualTo("responder");
            assertThat(open.get("farAddress").asText()).startsWith("127.0.0.1:");
            assertThat(open.get("sessionId").asText()).matches("[0-9a-f]{8}");
            assertThat(open.get("fingerprint").asText()).matches("[0-9a-f]{64}");
            assertThat(Instant.parse(open.get("time").asText())).isNotNull();

            command.requestStop();
            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo(CloseReason.REMOTE_CLOSE);
            final JsonNode close = jsonLine(out, "session-close");
            assertThat(close.get("sessionId").asText()).isEqualTo(open.get("sessionId").asText());
            assertThat(close.get("reason").asText()).isIn("LOCAL_CLOSE", "LOCAL_ABORT");
            assertThat(close.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(close.has("datagramsIn") && close.has("datagramsOut") && close.has("bytesOut")).isTrue();
            assertThat(close.has("bytesIn")).isTrue();
        }
    }

    /** The one JSON line of this event on the server's stdout (waits up to 10 s for it). */
    static JsonNode jsonLine(final StringWriter out, final String event) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline)
        {
            JsonNode found = null;
            int count = 0;
            for (final String line : out.toString().split("\n"))
            {
                if (line.startsWith("{"))
                {
                    final JsonNode node = new ObjectMapper().readTree(line);
                    if (event.equals(node.get("event").asText()))
                    {
                        found = node;
                        count++;
                    }
                }
            }
            if (null != found)
            {
                assertThat(count).as("one " + event + " line").isEqualTo(1);
                return found;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + event + " line in:\n" + out);
    }

    @Test
    void serverServesRtmpAndLogsMediaEvents() throws Exception
    {
        final int tcpPort = freeTcpPort();
        final Running server = Running.start(
            "--rtmfp", "127.0.0.1:" + freeUdpPort(),
            "--rtmp", "127.0.0.1:" + tcpPort,
            "--counters-dir", dir.resolve("counters").toString(),
            "--set", "identity.key-file=" + dir.resolve("identity.key"));
        final ServerCommand command = server.command();
        final StringWriter out = server.out();
        final CompletableFuture<Integer> exit = server.exit();
        assertThat(out.toString()).contains("RTMP on tcp /127.0.0.1:" + tcpPort).doesNotContain("not built yet");

        try (RawRtmpClient client = new RawRtmpClient(tcpPort, 0))
        {
            client.handshake();
            client.send(0, MessageType.COMMAND_AMF0,
                client.command("connect").objectBegin().key("app").string("live").objectEnd());
            client.send(0, MessageType.COMMAND_AMF0, client.command("createStream").nul());
            client.send(1, MessageType.COMMAND_AMF0, client.command("publish").nul().string("cam\"1").string("live"));
            final JsonNode publish = jsonLine(out, "publish");
            assertThat(publish.get("protocol").asText()).isEqualTo("rtmp");
            assertThat(publish.get("app").asText()).isEqualTo("live");
            assertThat(publish.get("stream").asText()).isEqualTo("cam\"1");
            assertThat(publish.get("peer").asText()).startsWith("127.0.0.1:");
            assertThat(jsonLine(out, "connect").get("connection").asLong())
                .isEqualTo(publish.get("connection").asLong());
        }
        assertThat(jsonLine(out, "unpublish").get("stream").asText()).isEqualTo("cam\"1");
        assertThat(jsonLine(out, "close").get("app").asText()).isEqualTo("live");
        command.requestStop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void serverServesRtmfpMediaOverRfc7425Flows() throws Exception
    {
        final int port = freeUdpPort();
        final Running server = Running.start(
            "--rtmfp", "127.0.0.1:" + port,
            "--set", "rtmp.enabled=false",
            "--counters-dir", dir.resolve("counters").toString(),
            "--set", "identity.key-file=" + dir.resolve("identity.key"));
        final ServerCommand command = server.command();
        final StringWriter out = server.out();
        final CompletableFuture<Integer> exit = server.exit();
        final StringWriter pubOut = new StringWriter();
        final StringWriter pubErr = new StringWriter();
        assertThat(RtmfpPublishPlayTest.run(pubOut, pubErr, "publish",
            RtmfpPublishPlayTest.input("avc-aac-6s.flv").toString(), "rtmfp://127.0.0.1:" + port + "/live#cam",
            "--speed", "0")).as(pubOut + " " + pubErr).isZero();
        final JsonNode publish = jsonLine(out, "publish");
        assertThat(publish.get("protocol").asText()).isEqualTo("rtmfp");
        assertThat(publish.get("stream").asText()).isEqualTo("cam");
        assertThat(jsonLine(out, "unpublish").get("stream").asText()).isEqualTo("cam");
        assertThat(jsonLine(out, "session-open").get("role").asText()).isEqualTo("responder");
        command.requestStop();
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    static int freeTcpPort() throws java.io.IOException
    {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    @Test
    void invokerThreadingRunsTheServerOnTheCommandsThread() throws Exception
    {
        final int port = freeUdpPort();
        final Running server = Running.start(
            "--rtmfp", "127.0.0.1:" + port,
            "--set", "rtmp.enabled=false",
            "--set", "threading.mode=invoker",
            "--counters-dir", dir.resolve("counters").toString(),
            "--set", "identity.key-file=" + dir.resolve("identity.key"));
        assertThat(server.out().toString())
            .contains("threading mode INVOKER: this command's thread runs the duty cycle")
            .doesNotContain("running SHARED");
        final StringWriter connectOut = new StringWriter();
        final CommandLine connect = FlowcastCli.commandLine()
            .setOut(new PrintWriter(connectOut, true)).setErr(new PrintWriter(connectOut, true));
        assertThat(connect.execute("connect", "rtmfp://127.0.0.1:" + port + "/live", "--pings", "1"))
            .as(connectOut.toString()).isZero();
        server.command().requestStop();
        assertThat(server.exit().get(10, TimeUnit.SECONDS)).isZero();
        assertThat(jsonLine(server.out(), "session-open").get("role").asText()).isEqualTo("responder");
    }

    /** {@code flowcast server} running in-process on a thread of its own, its stdout and stderr in {@link #out}. */
    record Running(ServerCommand command, StringWriter out, CompletableFuture<Integer> exit)
    {
        /** Start it and wait (up to 20 s) until it printed its fingerprint, or exited. */
        static Running start(final String... args) throws InterruptedException
        {
            final ServerCommand command = new ServerCommand();
            final StringWriter out = new StringWriter();
            final CommandLine commandLine = new CommandLine(command)
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
            final CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> commandLine.execute(args));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!out.toString().contains("fingerprint") && !exit.isDone() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            return new Running(command, out, exit);
        }
    }

    /** A free UDP port from the kernel's ephemeral range (32768 and up on Linux: above the old core ports). */
    static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)))
        {
            return socket.getLocalPort();
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void startsOnAnyFreePortEvenWhereCorePortsUsedToBe() throws Exception
    {
        int port = freeUdpPort();
        for (int candidate = 19_350; candidate < 19_450 && port < 19_350; candidate++)
        {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", candidate)))
            {
                port = candidate;
            }
            catch (final java.io.IOException ex)
            {
                // taken: try the next
            }
        }
        assertThat(port).isGreaterThanOrEqualTo(19_350);
        final Running server = Running.start(
            "--rtmfp", "127.0.0.1:" + port,
            "--set", "rtmp.enabled=false",
            "--counters-dir", dir.resolve("counters").toString(),
            "--set", "identity.key-file=" + dir.resolve("identity.key"));
        assertThat(server.out().toString()).contains("RTMFP on udp /127.0.0.1:" + port).doesNotContain("core-ports");
        server.command().requestStop();
        assertThat(server.exit().get(10, TimeUnit.SECONDS)).isZero();
    }
}
