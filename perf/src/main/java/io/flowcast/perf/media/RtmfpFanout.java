package io.flowcast.perf.media;

import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.endpoint.EndpointContext;
import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;
import io.flowcast.engine.server.FlowcastServer;
import io.flowcast.engine.server.ServerContext;
import io.flowcast.engine.tc.TcClient;
import io.flowcast.engine.tc.TcServer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * RTMFP fan-out load (RFC 7425): our server ({@link FlowcastServer}: media on the RTMFP endpoint's agent thread) in
 * this JVM; one RTMFP publisher of an FLV file paced by its timestamps and N RTMFP players (one invoker-mode endpoint and session each),
 * all joined before the publisher starts and all driven by this program's main thread. Reports per-player
 * completeness (every audio and video message of the file) and the server thread's CPU time, hence players per core.
 * <pre>
 *   java $(cat engine/target/jvm.options) -cp perf/target/benchmarks.jar io.flowcast.perf.media.RtmfpFanout \
 *       PLAYERS ../shared/media/avc-aac-20s-1500k.flv
 * </pre>
 */
public final class RtmfpFanout
{
    private RtmfpFanout()
    {
    }

    /** One player's NetConnection. */
    static final class Player implements TcClient.Listener
    {
        TcClient client;
        boolean connected;
        int streamId = -1;
        boolean playing;
        boolean ended;
        long messages;

        @Override
        public void onConnect(final boolean success, final String code, final String description)
        {
            connected = success;
        }

        @Override
        public void onStreamCreated(final int streamId)
        {
            this.streamId = streamId;
        }

        @Override
        public void onStatus(final int streamId, final String level, final String code, final String description)
        {
            if ("NetStream.Play.Start".equals(code) || "NetStream.Publish.Start".equals(code))
            {
                playing = true;
            }
            else if ("NetStream.Play.UnpublishNotify".equals(code))
            {
                ended = true;
            }
        }

        @Override
        public void onMedia(final int streamId, final int type, final int timestamp, final DirectBuffer buffer,
            final int offset, final int length)
        {
            if (MessageType.AUDIO == type || MessageType.VIDEO == type)
            {
                messages++;
            }
        }
    }

    /**
     * @param args players, FLV file.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int players = Integer.parseInt(args[0]);
        final byte[] file = Files.readAllBytes(Path.of(args[1]));
        final UnsafeBuffer flv = new UnsafeBuffer(file);
        int expected = 0;
        final FlvReader counter = new FlvReader().wrap(flv, 0, file.length);
        counter.readHeader();
        while (counter.next() >= 0)
        {
            if (MessageType.AUDIO == counter.tagType() || MessageType.VIDEO == counter.tagType())
            {
                expected++;
            }
        }

        final ServerContext context = new ServerContext()
            .rtmfpBind(new InetSocketAddress("127.0.0.1", 0))
            .keying(SessionKeying.server(new SecureRandom()));
        context.rtmfpContext() // every player comes from 127.0.0.1, all at once
            .maxSessionsPerAddress(players + 16)
            .startupPacketsPerSecondPerAddress(1_000_000)
            .startupPacketsPerSecond(1_000_000)
            .socketBufferBytes(8 << 20);
        final FlowcastServer flowcast = FlowcastServer.launch(context);
        final RtmfpEndpoint server = flowcast.endpoint();
        final TcServer tc = flowcast.tc();
        final CompletableFuture<Long> serverThread = new CompletableFuture<>();
        server.execute(() -> serverThread.complete(Thread.currentThread().getId()));

        final List<RtmfpEndpoint> endpoints = new ArrayList<>();
        final List<Session> sessions = new ArrayList<>();
        final SecureRandom random = new SecureRandom();
        for (int i = 0; i <= players; i++) // the last one publishes
        {
            final RtmfpEndpoint endpoint = RtmfpEndpoint.launch(new EndpointContext()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .keying(new SessionKeying(random, 1L << 2, null, Negotiation.REQUIRED,
                    DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null))
                .acceptIncoming(false)
                .threading(EndpointContext.Threading.INVOKER)
                .helloInterval(500, TimeUnit.MILLISECONDS)
                .listener(new SessionListener()
                {
                    public void onSessionOpened(final Session session)
                    {
                        sessions.add(session);
                    }

                    public void onSessionClosed(final Session session, final CloseReason reason)
                    {
                    }

                    public void onOpenFailed(final long openId, final CloseReason reason)
                    {
                        System.err.println("open failed: " + reason);
                    }
                }));
            endpoint.connectToFingerprint(server.fingerprint(), server.localAddresses());
            endpoints.add(endpoint);
        }
        final long openDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (sessions.size() < players + 1 && System.nanoTime() - openDeadline < 0)
        {
            duty(endpoints);
        }
        if (sessions.size() < players + 1)
        {
            throw new IllegalStateException("only " + sessions.size() + " sessions opened");
        }
        final List<Player> list = new ArrayList<>();
        for (final Session session : sessions)
        {
            final Player player = new Player();
            player.client = new TcClient(session, player);
            session.flowListener(player.client);
            player.client.connect("rtmfp://127.0.0.1/live", "live");
            list.add(player);
        }
        final Player publisher = list.remove(list.size() - 1);
        pump(endpoints, () -> list.stream().allMatch(p -> p.connected) && publisher.connected, 60);
        list.forEach(p -> p.client.createStream());
        publisher.client.createStream();
        pump(endpoints, () -> list.stream().allMatch(p -> p.streamId > 0) && publisher.streamId > 0, 60);
        list.forEach(p -> p.client.play("fanout"));
        pump(endpoints, () -> list.stream().allMatch(p -> p.playing), 60);
        System.out.println("players joined: " + players);
        publisher.client.publish("fanout");
        pump(endpoints, () -> publisher.playing, 30);

        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final long tid = serverThread.get(10, TimeUnit.SECONDS);
        final long cpu0 = threads.getThreadCpuTime(tid);
        final long start = System.nanoTime();
        final FlvReader reader = new FlvReader().wrap(flv, 0, file.length);
        reader.readHeader();
        final UnsafeBuffer meta = new UnsafeBuffer(new byte[64 * 1024]);
        final Amf0Writer amf = new Amf0Writer();
        int type;
        while ((type = reader.next()) >= 0)
        {
            final long due = start + TimeUnit.MILLISECONDS.toNanos(reader.timestamp());
            while (System.nanoTime() - due < 0)
            {
                duty(endpoints);
            }
            DirectBuffer buffer = flv;
            int offset = reader.dataOffset();
            int length = reader.dataSize();
            if (MessageType.DATA_AMF0 == type)
            {
                amf.wrap(meta, 0, meta.capacity()).string("@setDataFrame").raw(flv, offset, length);
                buffer = meta;
                offset = 0;
                length = amf.position();
            }
            else if (MessageType.AUDIO != type && MessageType.VIDEO != type)
            {
                continue;
            }
            while (OfferStatus.BACK_PRESSURED == publisher.client.send(type, reader.timestamp(), buffer, offset, length))
            {
                duty(endpoints);
            }
        }
        pump(endpoints, () -> 0 == publisher.client.bytesQueued(), 30);
        publisher.client.closeStream();
        final long endDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!list.stream().allMatch(p -> p.ended) && System.nanoTime() - endDeadline < 0)
        {
            duty(endpoints);
        }
        final double wall = (System.nanoTime() - start) / 1e9;
        final double cpu = (threads.getThreadCpuTime(tid) - cpu0) / 1e9;
        long least = Long.MAX_VALUE;
        int complete = 0;
        for (final Player p : list)
        {
            least = Math.min(least, p.messages);
            complete += p.messages >= expected ? 1 : 0;
        }
        System.out.printf("file %s: %d audio+video messages; players %d, complete %d (least received %d)%n",
            args[1], expected, players, complete, least);
        System.out.printf("wall %.1f s, server thread CPU %.2f s (%.1f %% of one core) -> %.0f players per core; " +
            "back-pressured %d, flow syncs %d%n", wall, cpu, 100 * cpu / wall, players / (cpu / wall),
            tc.counters().backPressured(), players);
        for (final RtmfpEndpoint endpoint : endpoints)
        {
            endpoint.close(0, TimeUnit.SECONDS);
        }
        flowcast.close();
    }

    private static void duty(final List<RtmfpEndpoint> endpoints)
    {
        for (int i = 0, n = endpoints.size(); i < n; i++)
        {
            endpoints.get(i).doWork();
        }
    }

    private static void pump(final List<RtmfpEndpoint> endpoints, final java.util.function.BooleanSupplier done,
        final long seconds)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("timed out");
            }
            duty(endpoints);
        }
    }
}
