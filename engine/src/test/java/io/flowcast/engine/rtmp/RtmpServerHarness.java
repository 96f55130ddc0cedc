package io.flowcast.engine.rtmp;

import io.flowcast.config.AccessRules;
import io.flowcast.config.AppConfig;
import io.flowcast.config.Cidr;
import io.flowcast.engine.media.MediaEvent;
import io.flowcast.engine.media.MediaServer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A media server and RTMP listener on 127.0.0.1, an ephemeral port, on their own agent thread, for tests.
 */
final class RtmpServerHarness implements AutoCloseable
{
    final MediaServer media;
    final RtmpServer rtmp;
    final Queue<String> events = new ConcurrentLinkedQueue<>();
    private final AgentRunner runner;

    RtmpServerHarness(final Consumer<RtmpServer.Context> settings) throws IOException
    {
        final List<Cidr> all = List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
        final AppConfig app = new AppConfig("*", List.of(), new AccessRules(all, List.of()),
            new AccessRules(all, List.of()), Duration.ofMillis(2200), Duration.ofSeconds(2));
        media = new MediaServer(name -> app).listener((event, protocol, id, peer, a, stream, detail) ->
            events.add(event.label() + " " + id + " " + a + "/" + stream + (null == detail ? "" : " " + detail)));
        final RtmpServer.Context context = new RtmpServer.Context().bind(new InetSocketAddress("127.0.0.1", 0));
        settings.accept(context);
        rtmp = new RtmpServer(media, context);
        runner = new AgentRunner(new SleepingMillisIdleStrategy(1), Throwable::printStackTrace, null,
            new CompositeAgent(media, rtmp));
        AgentRunner.startOnThread(runner);
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
        runner.close();
    }
}
