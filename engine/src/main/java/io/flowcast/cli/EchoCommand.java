package io.flowcast.cli;

import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowcast echo}: an RTMFP echo server, as the reference {@code echoserver} is. Every incoming flow is answered
 * on a return flow (its metadata plus {@code " return"}) carrying each of its messages back; a peer that refuses the
 * return flow (Flow Exception Report) only ends that return flow. When a return flow's queue is full, delivery of the
 * incoming flow is paused (its receive window closes) until the queue drains: back-pressure end to end.
 */
@Command(name = "echo", description = "RTMFP echo server: every message of every incoming flow back on a return flow.")
final class EchoCommand implements Callable<Integer>
{
    private static final byte[] RETURN_TAG = " return".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long HIGH_WATER = 1 << 20;
    private static final long LOW_WATER = 256 << 10;

    @Option(names = "--bind", paramLabel = "HOST:PORT",
        description = "UDP address to listen on, repeatable (default: 0.0.0.0:1935).")
    List<String> bind = new ArrayList<>();

    @Option(names = { "-q", "--quiet" }, description = "No line per session.")
    boolean quiet;

    @Option(names = "--stats", paramLabel = "SECONDS", description = "Print totals every SECONDS (0: never; default ${DEFAULT-VALUE}).")
    int statsSeconds = 0;

    /** Echo state, on the endpoint's agent thread. */
    static final class Echo implements FlowListener, SessionListener, Agent
    {
        private final PrintStream out;
        private final boolean quiet;
        private final FlowOptions returnOptions = new FlowOptions().bufferBytes(2 << 20).measureLatency(false);
        private final List<ReceiveFlow> paused = new ArrayList<>();
        volatile long messages;
        volatile long bytes;
        volatile long sessions;
        volatile long refused;

        Echo(final PrintStream out, final boolean quiet)
        {
            this.out = out;
            this.quiet = quiet;
        }

        @Override
        public void onFlowOpened(final ReceiveFlow flow)
        {
            final byte[] metadata = flow.metadata();
            final byte[] returnMetadata = new byte[metadata.length + RETURN_TAG.length];
            System.arraycopy(metadata, 0, returnMetadata, 0, metadata.length);
            System.arraycopy(RETURN_TAG, 0, returnMetadata, metadata.length, RETURN_TAG.length);
            final SendFlow returnFlow = flow.session().openFlow(returnMetadata, flow, returnOptions);
            flow.attachment(returnFlow);
            if (null != returnFlow)
            {
                returnFlow.attachment(flow);
            }
        }

        @Override
        public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
        {
            messages++;
            bytes += length;
            final SendFlow returnFlow = (SendFlow)flow.attachment();
            if (null == returnFlow)
            {
                return;
            }
            final long rc = returnFlow.offer(buffer, offset, length, SendFlow.PRIORITY_NORMAL,
                TimeUnit.SECONDS.toNanos(60), false);
            if (rc < 0 && OfferStatus.BACK_PRESSURED != rc)
            {
                flow.attachment(null);
                return;
            }
            if (returnFlow.bytesQueued() > HIGH_WATER && !flow.isPaused())
            {
                flow.pause();
                paused.add(flow);
            }
        }

        @Override
        public void onFlowClosed(final ReceiveFlow flow)
        {
            final SendFlow returnFlow = (SendFlow)flow.attachment();
            if (null != returnFlow)
            {
                returnFlow.close();
            }
        }

        @Override
        public void onSendFlowException(final SendFlow flow, final long exceptionCode)
        {
            // the reference rtclient refuses return flows: end just this one, keep receiving
            refused++;
            final ReceiveFlow incoming = (ReceiveFlow)flow.attachment();
            if (null != incoming)
            {
                incoming.attachment(null);
                if (incoming.isPaused())
                {
                    incoming.resume();
                    paused.remove(incoming);
                }
            }
        }

        @Override
        public int doWork()
        {
            int work = 0;
            for (int i = paused.size() - 1; i >= 0; i--)
            {
                final ReceiveFlow flow = paused.get(i);
                final SendFlow returnFlow = (SendFlow)flow.attachment();
                if (null == returnFlow || returnFlow.bytesQueued() < LOW_WATER ||
                    SendFlow.F_OPEN != returnFlow.state())
                {
                    paused.remove(i);
                    flow.resume();
                    work++;
                }
            }
            return work;
        }

        @Override
        public String roleName()
        {
            return "flowcast-echo";
        }

        @Override
        public void onSessionOpened(final Session session)
        {
            sessions++;
            if (!quiet)
            {
                out.println("session open " + session.farAddress() + " " +
                    HexFormat.of().formatHex(session.farFingerprint()));
                out.flush();
            }
        }

        @Override
        public void onSessionClosed(final Session session, final CloseReason reason)
        {
            paused.removeIf((flow) -> flow.session() == session);
            if (!quiet)
            {
                out.println("session closed " + session.farAddress() + " " + reason);
                out.flush();
            }
        }

        @Override
        public void onOpenFailed(final long openId, final CloseReason reason)
        {
        }
    }

    @Override
    public Integer call() throws Exception
    {
        final List<InetSocketAddress> addresses = new ArrayList<>();
        for (final String text : bind.isEmpty() ? List.of("0.0.0.0:1935") : bind)
        {
            addresses.add(hostPort(text));
        }
        final PrintStream out = System.out;
        final Echo echo = new Echo(out, quiet);
        final EndpointContext context = new EndpointContext()
            .keying(SessionKeying.server(new SecureRandom()))
            .listener(echo)
            .flowListener(echo)
            .colocatedAgent(echo)
            .measureFlowLatency(false);
        addresses.forEach(context::bind);
        final java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            stop.countDown();
            try
            {
                stopped.await(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        }, "flowcast-echo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (RtmfpEndpoint endpoint = RtmfpEndpoint.launch(context))
        {
            out.println("flowcast echo: listening on " + endpoint.localAddresses() + ", fingerprint " +
                HexFormat.of().formatHex(endpoint.fingerprint()));
            out.flush();
            if (statsSeconds > 0)
            {
                final Thread stats = new Thread(() ->
                {
                    long lastMessages = 0;
                    while (!Thread.currentThread().isInterrupted())
                    {
                        try
                        {
                            Thread.sleep(statsSeconds * 1000L);
                        }
                        catch (final InterruptedException ex)
                        {
                            return;
                        }
                        final long now = echo.messages;
                        out.printf("echoed %d messages (%d/s), %d bytes, %d sessions, %d return flows refused%n",
                            now, (now - lastMessages) / statsSeconds, echo.bytes, echo.sessions, echo.refused);
                        out.flush();
                        lastMessages = now;
                    }
                }, "flowcast-echo-stats");
                stats.setDaemon(true);
                stats.start();
            }
            stop.await();
            endpoint.close(3, TimeUnit.SECONDS);
        }
        finally
        {
            stopped.countDown();
        }
        return 0;
    }

    static InetSocketAddress hostPort(final String text)
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try
        {
            port = Integer.parseInt(text.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad port in '" + text + "'");
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range in '" + text + "'");
        }
        return new InetSocketAddress(host, port);
    }
}
