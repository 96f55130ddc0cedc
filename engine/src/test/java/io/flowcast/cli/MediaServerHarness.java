package io.flowcast.cli;

import io.flowcast.config.AccessRules;
import io.flowcast.config.AppConfig;
import io.flowcast.config.Cidr;
import io.flowcast.crypto.SessionKeying;
import io.flowcast.engine.media.MediaEvent;
import io.flowcast.engine.media.MediaServer;
import io.flowcast.engine.media.StreamTap;
import io.flowcast.engine.endpoint.RtmfpEndpoint;
import io.flowcast.engine.rtmp.RtmpServer;
import io.flowcast.engine.server.FlowcastServer;
import io.flowcast.engine.server.ServerContext;
import io.flowcast.engine.tc.TcServer;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The media server as {@code flowcast server} runs it, for tests: a {@link FlowcastServer} launched by hand with RTMFP
 * and RTMP on 127.0.0.1 (ephemeral ports), counters in memory, every app open (optionally behind auth keys).
 */
final class MediaServerHarness implements AutoCloseable
{
    final FlowcastServer server;
    final MediaServer media;
    final TcServer tc;
    final RtmpServer rtmp;
    final RtmfpEndpoint endpoint;
    final Queue<String> events = new ConcurrentLinkedQueue<>();
    /** Audio and video messages published (any stream), seen by a tap. */
    final AtomicLong publishedAudio = new AtomicLong();
    final AtomicLong publishedVideo = new AtomicLong();

    MediaServerHarness() throws IOException
    {
        this(List.of());
    }

    MediaServerHarness(final List<String> authKeys) throws IOException
    {
        final List<Cidr> all = List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
        final AppConfig app = new AppConfig("*", authKeys, new AccessRules(all, List.of()),
            new AccessRules(all, List.of()), Duration.ofMillis(2200), Duration.ofSeconds(2));
        server = FlowcastServer.launch(new ServerContext()
            .rtmfpBind(new InetSocketAddress("127.0.0.1", 0))
            .rtmpBind(new InetSocketAddress("127.0.0.1", 0))
            .keying(SessionKeying.server(new SecureRandom()))
            .apps(name -> app)
            .mediaListener((event, protocol, id, peer, a, stream, detail) ->
                events.add(event.label() + " " + protocol + " " + id + " " + a + "/" + stream +
                    (null == detail ? "" : " " + detail)))
            .tap(new StreamTap()
            {
                public void onPublish(final int handle, final String app, final String stream)
                {
                }

                public void onMessage(final int handle, final int type, final int timestamp,
                    final DirectBuffer buffer, final int offset, final int length)
                {
                    if (8 == type)
                    {
                        publishedAudio.incrementAndGet();
                    }
                    else if (9 == type)
                    {
                        publishedVideo.incrementAndGet();
                    }
                }

                public void onUnpublish(final int handle)
                {
                }
            }));
        media = server.media();
        tc = server.tc();
        rtmp = server.rtmp();
        endpoint = server.endpoint();
    }

    String rtmfpUri(final String app, final String stream)
    {
        return "rtmfp://127.0.0.1:" + endpoint.localAddresses().get(0).getPort() + "/" + app + "#" + stream;
    }

    String rtmpUrl(final String path)
    {
        return "rtmp://127.0.0.1:" + rtmp.localAddresses().get(0).getPort() + "/" + path;
    }

    long count(final MediaEvent event)
    {
        return events.stream().filter(e -> e.startsWith(event.label() + " ")).count();
    }

    boolean await(final MediaEvent event, final long count, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (count(event) < count)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close()
    {
        server.close();
    }
}
