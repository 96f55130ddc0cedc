package io.flowcast.engine.rtmp;

import io.flowcast.engine.media.MediaEvent;
import io.flowcast.engine.media.MediaServer;
import io.flowcast.engine.server.FlowcastServer;
import io.flowcast.engine.server.ServerContext;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An RTMP-only {@link FlowcastServer} on 127.0.0.1, an ephemeral port (media server and RTMP listener on the
 * server's own agent thread; every app open), for tests.
 */
final class RtmpServerHarness implements AutoCloseable
{
    final FlowcastServer server;
    final MediaServer media;
    final RtmpServer rtmp;
    final Queue<String> events = new ConcurrentLinkedQueue<>();

    RtmpServerHarness(final Consumer<RtmpServer.Context> settings)
    {
        final ServerContext context = new ServerContext()
            .rtmpBind(new InetSocketAddress("127.0.0.1", 0))
            .idleStrategy(new SleepingMillisIdleStrategy(1))
            .mediaListener((event, protocol, id, peer, a, stream, detail) ->
                events.add(event.label() + " " + id + " " + a + "/" + stream + (null == detail ? "" : " " + detail)));
        settings.accept(context.rtmpContext());
        server = FlowcastServer.launch(context);
        media = server.media();
        rtmp = server.rtmp();
    }

    int port()
    {
        return rtmp.localAddresses().get(0).getPort();
    }

    String url(final String path)
    {
        return "rtmp://127.0.0.1:" + port() + "/" + path;
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
