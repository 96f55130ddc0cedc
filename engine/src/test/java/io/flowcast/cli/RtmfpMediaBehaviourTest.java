package io.flowcast.cli;

import io.flowcast.codec.amf.Amf0Command;
import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.tc.TcMessageFlyweight;
import io.flowcast.engine.media.AuthTokens;
import io.flowcast.engine.media.MediaEvent;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.tc.TcFlows;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The media server over RFC 7425 flows: late join, a second publisher, tokens, malformed input.
 */
@Tag("slow")
@Timeout(120)
class RtmfpMediaBehaviourTest
{
    @TempDir
    Path dir;

    @Test
    void lateJoinerGetsMetadataThenConfigurationsThenAKeyframe() throws Exception
    {
        final ExecutorService threads = Executors.newCachedThreadPool();
        try (MediaServerHarness server = new MediaServerHarness())
        {
            final String uri = server.rtmfpUri("live", "late");
            final Path input = RtmfpPublishPlayTest.input("avc-aac-20s-1500k.flv");
            final StringWriter pubOut = new StringWriter();
            final StringWriter pubErr = new StringWriter();
            final Future<Integer> publish = threads.submit(() -> RtmfpPublishPlayTest.run(pubOut, pubErr,
                "publish", input.toString(), uri, "--speed", "2"));
            assertThat(server.await(MediaEvent.PUBLISH, 1, 30_000)).as(pubErr.toString()).isTrue();
            Thread.sleep(3_000); // well into the stream: past its first GOP
            final Path flv = dir.resolve("late.flv");
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            assertThat(RtmfpPublishPlayTest.run(out, err, "play", uri, "--out", flv.toString(), "--seconds", "60"))
                .as(out + " " + err).isZero();
            assertThat(publish.get(60, TimeUnit.SECONDS)).as(pubOut + " " + pubErr).isZero();

            final FlvMessages in = FlvMessages.read(input);
            final FlvMessages got = FlvMessages.read(flv);
            System.out.println("late joiner: " + got.all().size() + " tags, first " + got.all().subList(0, 4));
            assertThat(got.all().get(0)).as("metadata first").startsWith("18@");
            assertThat(got.video().get(0)).as("the video configuration first on video").endsWith(":config");
            assertThat(got.video().get(1)).as("then a keyframe").endsWith(":key");
            assertThat(got.audio().get(0)).as("the AAC configuration first on audio").isEqualTo(in.audio().get(0));
            // across the flows too: nothing but the two configurations between the metadata and the keyframe, and
            // the keyframe before any other audio or video (the cache travels on one flow, fenced by Flow Syncs)
            final int keyframe = got.all().indexOf(got.video().get(1));
            assertThat(got.all().subList(1, keyframe)).as("between metadata and keyframe, in arrival order")
                .containsExactlyInAnyOrder(got.video().get(0), got.audio().get(0));
            // from that keyframe on, every video frame of the input, in order; audio a contiguous tail of the input
            final List<String> videoTail = got.video().subList(1, got.video().size());
            final int start = in.video().indexOf(videoTail.get(0));
            assertThat(start).as("joined at an input keyframe").isGreaterThan(1);
            assertThat(videoTail).containsExactlyElementsOf(in.video().subList(start, in.video().size()));
            final List<String> audioTail = got.audio().subList(1, got.audio().size());
            final int audioStart = in.audio().indexOf(audioTail.get(0));
            assertThat(audioTail).containsExactlyElementsOf(in.audio().subList(audioStart, in.audio().size()));
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    @Test
    void clientsApplyTheServersKeepaliveWithTheFloor() throws Exception
    {
        try (MediaServerHarness server = new MediaServerHarness())
        {
            for (final long[] asked : new long[][] {{7_000, 7_000}, {1_000, 5_000}})
            {
                final java.util.concurrent.CountDownLatch set = new java.util.concurrent.CountDownLatch(1);
                server.endpoint.execute(() ->
                {
                    server.tc.keepalive(asked[0], 9_000);
                    set.countDown();
                });
                assertThat(set.await(5, TimeUnit.SECONDS)).isTrue();
                final MediaClient client = new MediaClient(server.rtmfpUri("live", "k"),
                    new java.io.PrintWriter(new StringWriter()))
                {
                    @Override
                    public void onStatus(final int id, final String level, final String code, final String text)
                    {
                    }
                };
                try (client)
                {
                    assertThat(client.rtmfp).isNull();
                    client.open(10, List.of(), false); // connect, setPeerInfo, createStream
                    client.pumpUntil(() -> client.client.keepaliveServerMs() > 0,
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(10), "no Set Keepalive Timers");
                    assertThat(client.client.keepaliveServerMs()).isEqualTo(asked[0]);
                    assertThat(client.rtmfp.session.keepaliveIntervalNs())
                        .as("server asked %d ms", asked[0]).isEqualTo(TimeUnit.MILLISECONDS.toNanos(asked[1]));
                }
            }
        }
    }

    @Test
    void secondPublisherGetsBadNameAndTheFirstCarriesOn() throws Exception
    {
        final ExecutorService threads = Executors.newCachedThreadPool();
        try (MediaServerHarness server = new MediaServerHarness())
        {
            final String uri = server.rtmfpUri("live", "taken");
            final String input = RtmfpPublishPlayTest.input("avc-aac-6s.flv").toString();
            final StringWriter pubOut = new StringWriter();
            final StringWriter pubErr = new StringWriter();
            final Future<Integer> first = threads.submit(() -> RtmfpPublishPlayTest.run(pubOut, pubErr,
                "publish", input, uri, "--speed", "1"));
            assertThat(server.await(MediaEvent.PUBLISH, 1, 30_000)).isTrue();
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            assertThat(RtmfpPublishPlayTest.run(out, err, "publish", input, uri)).isEqualTo(1);
            System.out.println(err.toString().trim());
            assertThat(err.toString()).contains("NetStream.Publish.BadName").contains("taken");
            assertThat(first.get(60, TimeUnit.SECONDS)).as(pubOut + " " + pubErr).isZero();
            assertThat(pubOut.toString()).contains("261 audio, 152 video");
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    @Test
    void tokensAreCheckedAndMayBeHashedWithTheSessionNonce() throws Exception
    {
        try (MediaServerHarness server = new MediaServerHarness(List.of("s3cret")))
        {
            final String uri = server.rtmfpUri("live", "auth");
            final String good = AuthTokens.token("s3cret", "live");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertThat(RtmfpPublishPlayTest.run(out, err, "play", uri, "--seconds", "0.5")).isEqualTo(1);
            System.out.println(err.toString().trim());
            assertThat(err.toString()).contains("NetConnection.Connect.Rejected").contains("--token");

            out = new StringWriter();
            err = new StringWriter();
            assertThat(RtmfpPublishPlayTest.run(out, err, "play", uri, "--token", "0123abcd", "--seconds", "0.5"))
                .isEqualTo(1);
            assertThat(err.toString()).contains("NetConnection.Connect.Rejected").contains("refused");

            out = new StringWriter();
            err = new StringWriter();
            assertThat(RtmfpPublishPlayTest.run(out, err, "play", uri, "--token", good, "--seconds", "0.5"))
                .as(err.toString()).isZero();
            out = new StringWriter();
            err = new StringWriter();
            assertThat(RtmfpPublishPlayTest.run(out, err, "play", uri, "--token", good, "--hash-token",
                "--require-auth-token", "--seconds", "0.5")).as(err.toString()).isZero();
            // without auth-keys there is no token to prove: --require-auth-token fails
            try (MediaServerHarness open = new MediaServerHarness())
            {
                final StringWriter o = new StringWriter();
                final StringWriter e = new StringWriter();
                assertThat(RtmfpPublishPlayTest.run(o, e, "play", open.rtmfpUri("live", "auth"), "--token", good,
                    "--require-auth-token", "--seconds", "0.5")).isEqualTo(1);
                assertThat(e.toString()).contains("did not prove it knows the token");
            }
            assertThat(server.count(MediaEvent.REJECT)).isEqualTo(2);
            assertThat(server.count(MediaEvent.PLAY)).isEqualTo(2);
        }
    }

    @Test
    void malformedMessagesAndFlowsAreDroppedAndTheConnectionCarriesOn() throws Exception
    {
        try (MediaServerHarness server = new MediaServerHarness())
        {
            final String uri = server.rtmfpUri("live", "x");
            final List<String> replies = new ArrayList<>();
            final List<Long> rejected = new ArrayList<>();
            final Amf0Command command = new Amf0Command();
            final TcMessageFlyweight message = new TcMessageFlyweight();
            final FlowListener listener = new FlowListener()
            {
                @Override
                public void onFlowOpened(final ReceiveFlow flow)
                {
                }

                @Override
                public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset,
                    final int length)
                {
                    if (message.wrap(buffer, offset, length) >= 0 && 20 == message.type() &&
                        command.wrap(buffer, message.amfOffset(), message.amfLength()) >= 0)
                    {
                        replies.add(command.name() + "/" + (int)command.transactionId());
                    }
                }

                @Override
                public void onSendFlowException(final SendFlow flow, final long code)
                {
                    rejected.add(flow.flowId());
                }
            };
            try (RtmfpClient client = RtmfpClient.open(uri.substring(0, uri.indexOf('#')), 10, listener))
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
                final SendFlow notTc = client.session.openFlow(new byte[] { 'G', 'C', 4, 0 });
                notTc.offer(buffer, 0, 10);
                final SendFlow unassociatedStream = client.session.openFlow(TcFlows.metadata(1));
                unassociatedStream.offer(buffer, 0, 10);
                final SendFlow control = client.session.openFlow(TcFlows.metadata(0));
                // shorter than the TC header; a type 17 with format byte 1; chunk control; an unknown type; AMF junk
                control.offer(buffer, 0, 3);
                buffer.putBytes(0, new byte[] { 17, 0, 0, 0, 0, 1, 2, 0, 1, 'x' });
                control.offer(buffer, 0, 10);
                buffer.putBytes(0, new byte[] { 1, 0, 0, 0, 0, 0, 0, 0x10, 0 });
                control.offer(buffer, 0, 9);
                buffer.putBytes(0, new byte[] { 99, 0, 0, 0, 0, 1, 2, 3 });
                control.offer(buffer, 0, 8);
                buffer.putBytes(0, new byte[] { 20, 0, 0, 0, 0, 2, (byte)0xFF, (byte)0xFF, 'a', 0x0B });
                control.offer(buffer, 0, 10);
                // then a proper connect on the same flow
                TcMessageFlyweight.encodeHeader(buffer, 0, 20, 0);
                final Amf0Writer w = new Amf0Writer().wrap(buffer, 5, 500).string("connect").number(1)
                    .objectBegin().key("app").string("live").objectEnd();
                control.offer(buffer, 0, w.position());
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((replies.isEmpty() || rejected.size() < 2) && System.nanoTime() - deadline < 0)
                {
                    client.endpoint.doWork();
                }
                assertThat(replies).containsExactly("_result/1");
                assertThat(rejected).containsExactlyInAnyOrder(notTc.flowId(), unassociatedStream.flowId());
            }
            System.out.println("malformed " + server.tc.counters().malformedMessages() + ", rejected flows " +
                server.tc.counters().flowsRejected());
            assertThat(server.tc.counters().malformedMessages()).isEqualTo(2);
            assertThat(server.tc.counters().flowsRejected()).isEqualTo(2);
            assertThat(server.count(MediaEvent.CONNECT)).isEqualTo(1);

            // the server still serves others
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            assertThat(RtmfpPublishPlayTest.run(out, err, "publish",
                RtmfpPublishPlayTest.input("avc-aac-6s.flv").toString(), server.rtmfpUri("live", "after"),
                "--speed", "0")).as(err.toString()).isZero();
        }
    }
}
