package io.flowcast.perf.engine;

import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Heap per idle responder session: this process runs one responder endpoint (SHARED agent thread, per-session
 * counters on); a child JVM opens N sessions to it (one invoker-mode initiator endpoint each) and keeps them idle.
 * Used heap is measured after several full GCs before and after; the difference over N is the responder's heap per
 * open session (Session, keys and ciphers, maps, counters). Not JMH: it is a footprint, not a rate.
 *
 * <pre>
 *   java -cp perf/target/benchmarks.jar io.flowcast.perf.engine.HeapPerSession [sessions] [--histogram]
 * </pre>
 */
public final class HeapPerSession
{
    private HeapPerSession()
    {
    }

    /**
     * @param args sessions (default 2,000), optionally {@code --histogram} to print the top of
     *             {@code jcmd PID GC.class_histogram} while the sessions are open; or (internal) the child's
     *             {@code clients PORT FINGERPRINT N}.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length > 0 && "clients".equals(args[0]))
        {
            clients(Integer.parseInt(args[1]), HexFormat.of().parseHex(args[2]), Integer.parseInt(args[3]));
            return;
        }
        final int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        final boolean histogram = args.length > 1 && "--histogram".equals(args[1]);
        final SecureRandom random = new SecureRandom();
        final CountersManager counters = countersManager(256 + 4 * sessions);
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(new EndpointContext()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .keying(new SessionKeying(random, 1L << 2, null, Negotiation.REQUIRED, DirectionKeys.DEFAULT_HMAC_LENGTH,
                Negotiation.REQUIRED, true, null))
            .countersManager(counters)
            .maxSessionsPerAddress(sessions)
            .startupPacketsPerSecondPerAddress(1_000_000)
            .startupPacketsPerSecond(1_000_000)
            .socketBufferBytes(4 << 20)))
        {
            final long before = usedHeapAfterGc();
            final List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // same JVM flags
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), HeapPerSession.class.getName(),
                "clients", Integer.toString(server.localAddresses().get(0).getPort()),
                HexFormat.of().formatHex(server.fingerprint()), Integer.toString(sessions)));
            final Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try
            {
                final BufferedReader childOut = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                final String line = childOut.readLine();
                System.out.println("clients: " + line);
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (server.openSessions() < sessions && System.nanoTime() < deadline)
                {
                    Thread.sleep(10);
                }
                final long open = server.openSessions();
                final long after = usedHeapAfterGc();
                System.out.printf("sessions open %d; used heap after GC %,d -> %,d bytes: %,d bytes per session%n",
                    open, before, after, (after - before) / Math.max(1, open));
                if (histogram)
                {
                    final Process jcmd = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()),
                        "GC.class_histogram").redirectErrorStream(true).start();
                    final BufferedReader reader = new BufferedReader(
                        new InputStreamReader(jcmd.getInputStream(), StandardCharsets.UTF_8));
                    String row;
                    int rows = 0;
                    while (null != (row = reader.readLine()))
                    {
                        if (rows++ < 40)
                        {
                            System.out.println(row);
                        }
                    }
                    jcmd.waitFor(30, TimeUnit.SECONDS);
                }
            }
            finally
            {
                child.getOutputStream().close(); // the child exits when its stdin closes
                if (!child.waitFor(20, TimeUnit.SECONDS))
                {
                    child.destroy();
                }
            }
        }
    }

    static long usedHeapAfterGc() throws InterruptedException
    {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++)
        {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    static CountersManager countersManager(final int counters)
    {
        return new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(counters * CountersManager.METADATA_LENGTH, 64)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(counters * CountersManager.COUNTER_LENGTH, 64)),
            StandardCharsets.US_ASCII);
    }

    private static void clients(final int port, final byte[] fingerprint, final int count) throws Exception
    {
        final SecureRandom random = new SecureRandom();
        final AtomicInteger opened = new AtomicInteger();
        final List<Session> sessions = new ArrayList<>();
        final Session[] byClient = new Session[count];
        final int[] current = { 0 }; // which client's duty cycle runs (invoker mode: all on this thread)
        final SessionListener listener = new SessionListener()
        {
            public void onSessionOpened(final Session session)
            {
                opened.incrementAndGet();
                sessions.add(session);
                byClient[current[0]] = session;
            }

            public void onSessionClosed(final Session session, final CloseReason reason)
            {
            }

            public void onOpenFailed(final long openId, final CloseReason reason)
            {
                System.err.println("open failed: " + reason);
            }
        };
        final CountersManager counters = countersManager(count * 64);
        final List<RtmfpEndpoint> clients = new ArrayList<>(count);
        final List<InetSocketAddress> server = List.of(new InetSocketAddress("127.0.0.1", port));
        for (int i = 0; i < count; i++)
        {
            clients.add(RtmfpEndpoint.launch(new EndpointContext()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .keying(new SessionKeying(random, 1L << 2, null, Negotiation.REQUIRED,
                    DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null))
                .acceptIncoming(false)
                .threading(EndpointContext.Threading.INVOKER)
                .countersManager(counters)
                .counterPrefix("c" + i + ": ")
                .helloInterval(500, TimeUnit.MILLISECONDS)
                .listener(listener)));
        }
        for (int i = 0; i < count; i++)
        {
            current[0] = i;
            clients.get(i).connectToFingerprint(fingerprint, server);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (opened.get() < count && System.nanoTime() < deadline)
        {
            for (int i = 0; i < count; i++)
            {
                current[0] = i;
                clients.get(i).doWork();
            }
        }
        // one Ping each, as a real client's first message would: the responder sees every session confirmed
        for (int i = 0; i < count; i++)
        {
            if (null != byClient[i])
            {
                clients.get(i).ping(byClient[i]);
            }
        }
        long replies = 0;
        final long pingDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (replies < sessions.size() && System.nanoTime() < pingDeadline)
        {
            dutyCycle(clients);
            replies = 0;
            for (final Session session : sessions)
            {
                replies += session.pingRepliesReceived();
            }
        }
        System.out.println(opened.get() + " open, " + replies + " pings answered");
        System.out.flush();
        // keep the sessions alive (keepalives answered) until the parent closes our stdin
        final Thread watcher = new Thread(() ->
        {
            try
            {
                while (System.in.read() >= 0)
                {
                    continue;
                }
            }
            catch (final java.io.IOException ignored)
            {
                // parent gone
            }
        });
        watcher.setDaemon(true);
        watcher.start();
        while (watcher.isAlive())
        {
            dutyCycle(clients);
        }
        for (final RtmfpEndpoint client : clients)
        {
            client.close(0, TimeUnit.SECONDS);
        }
    }

    private static void dutyCycle(final List<RtmfpEndpoint> clients) throws InterruptedException
    {
        int work = 0;
        for (final RtmfpEndpoint client : clients)
        {
            work += client.doWork();
        }
        if (0 == work)
        {
            Thread.sleep(1);
        }
    }
}
