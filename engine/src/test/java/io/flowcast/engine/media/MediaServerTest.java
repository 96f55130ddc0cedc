package io.flowcast.engine.media;

import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.amf.Amf3Writer;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.config.AccessRules;
import io.flowcast.config.AppConfig;
import io.flowcast.config.Cidr;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MediaServerTest
{
    static final String KEY = "a-sixteen-char-key-for-tests";
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
    static final InetSocketAddress OTHER = new InetSocketAddress("192.0.2.7", 40000);

    static final byte[] VIDEO_CONFIG = {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f};
    static final byte[] AUDIO_CONFIG = {(byte)0xAF, 0, 0x12, 0x10};
    static final byte[] KEYFRAME = {0x17, 1, 0, 0, 0, 0, 0, 0, 5, 0x65};
    static final byte[] INTER = {0x27, 1, 0, 0, 0, 0, 0, 0, 5, 0x41};
    static final byte[] AUDIO = {(byte)0xAF, 1, 0x21, 0x22};

    final List<String> events = new ArrayList<>();

    static AppConfig app(final List<String> keys, final List<String> publishDeny, final List<String> playDeny)
    {
        final List<Cidr> all = List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
        return new AppConfig("*", keys,
            new AccessRules(all, publishDeny.stream().map(Cidr::parse).toList()),
            new AccessRules(all, playDeny.stream().map(Cidr::parse).toList()),
            Duration.ofMillis(2200), Duration.ofSeconds(2));
    }

    MediaServer server(final AppConfig config)
    {
        return new MediaServer(name -> config).listener(
            (event, protocol, id, peer, app, stream, detail) -> events.add(event.label() + " " + app + " " + stream));
    }

    /** A scripted client: writes AMF0 commands into its NetConnection. */
    static final class Client
    {
        final RecordingChannel channel;
        final NetConnection connection;
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final Amf0Writer writer = new Amf0Writer();
        double txn = 1;

        Client(final MediaServer server, final InetSocketAddress peer)
        {
            channel = new RecordingChannel(peer);
            connection = server.newConnection(channel, null);
        }

        Amf0Writer begin(final String name)
        {
            return writer.wrap(buffer, 0, 1024).string(name).number(txn++);
        }

        void send(final int streamId)
        {
            connection.onMessage(streamId, MessageType.COMMAND_AMF0, 0, buffer, 0, writer.position());
        }

        String connect(final String app, final String... tokens)
        {
            final Amf0Writer w = begin("connect").objectBegin().key("app").string(app)
                .key("tcUrl").string("rtmp://127.0.0.1/" + app).key("objectEncoding").number(0).objectEnd();
            for (final String token : tokens)
            {
                w.string(token);
            }
            send(0);
            return last();
        }

        int createStream()
        {
            begin("createStream").nul();
            send(0);
            final RecordingChannel.Sent reply = channel.sent.get(channel.sent.size() - 1);
            final org.agrona.DirectBuffer b = new UnsafeBuffer(reply.payload());
            final io.flowcast.codec.amf.Amf0Reader reader = new io.flowcast.codec.amf.Amf0Reader().wrap(b, 0,
                reply.payload().length);
            reader.next();
            reader.next();
            reader.next();
            reader.next();
            return (int)reader.number();
        }

        String publish(final int streamId, final String name)
        {
            begin("publish").nul().string(name).string("live");
            send(streamId);
            return last();
        }

        String play(final int streamId, final String name)
        {
            begin("play").nul().string(name).number(-2);
            send(streamId);
            return last();
        }

        String last()
        {
            final List<String> codes = channel.codes();
            return codes.isEmpty() ? null : codes.get(codes.size() - 1);
        }

        void media(final int streamId, final int type, final int timestamp, final byte[] payload)
        {
            connection.onMessage(streamId, type, timestamp, new UnsafeBuffer(payload), 0, payload.length);
        }

        void metadata(final int streamId)
        {
            final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
            final Amf0Writer w = new Amf0Writer().wrap(b, 0, 256).string("@setDataFrame").string("onMetaData")
                .ecmaArrayBegin(1).key("width").number(640).objectEnd();
            connection.onMessage(streamId, MessageType.DATA_AMF0, 0, b, 0, w.position());
        }
    }

    @Test
    void lateJoinerGetsMetadataThenSequenceHeadersThenKeyframeFirst()
    {
        final MediaServer server = server(app(List.of(), List.of(), List.of()));
        final Client publisher = new Client(server, LOCAL);
        assertThat(publisher.connect("live")).isEqualTo("NetConnection.Connect.Success");
        final int pub = publisher.createStream();
        assertThat(publisher.publish(pub, "s")).isEqualTo("NetStream.Publish.Start");

        publisher.metadata(pub);
        publisher.media(pub, MessageType.VIDEO, 0, VIDEO_CONFIG);
        publisher.media(pub, MessageType.AUDIO, 0, AUDIO_CONFIG);
        publisher.media(pub, MessageType.VIDEO, 10, INTER); // before any keyframe: never cached
        publisher.media(pub, MessageType.VIDEO, 40, KEYFRAME);
        publisher.media(pub, MessageType.AUDIO, 45, AUDIO);
        publisher.media(pub, MessageType.VIDEO, 80, INTER);

        final Client player = new Client(server, LOCAL);
        player.connect("live");
        final int ps = player.createStream();
        player.play(ps, "s");
        assertThat(player.channel.codes()).containsSubsequence("NetStream.Play.Reset", "NetStream.Play.Start");
        publisher.media(pub, MessageType.VIDEO, 120, INTER);

        final List<RecordingChannel.Sent> media = player.channel.media();
        assertThat(media).extracting(RecordingChannel.Sent::type).containsExactly(
            MessageType.DATA_AMF0, MessageType.VIDEO, MessageType.AUDIO,
            MessageType.VIDEO, MessageType.AUDIO, MessageType.VIDEO, MessageType.VIDEO);
        assertThat(new String(media.get(0).payload(), 3, 10)).isEqualTo("onMetaData");
        assertThat(media.get(1).payload()).isEqualTo(VIDEO_CONFIG);
        assertThat(media.get(2).payload()).isEqualTo(AUDIO_CONFIG);
        assertThat(media.get(3).payload()).isEqualTo(KEYFRAME);
        assertThat(media.get(3).timestamp()).isEqualTo(40);
        assertThat(media).extracting(RecordingChannel.Sent::timestamp).containsExactly(0, 0, 0, 40, 45, 80, 120);
        assertThat(events).contains("publish live s", "play live s");
    }

    @Test
    void joinerBeforeKeyframeGetsNoVideoUntilKeyframeAndPlayerBeforePublisherIsNotified()
    {
        final MediaServer server = server(app(List.of(), List.of(), List.of()));
        final Client player = new Client(server, LOCAL);
        player.connect("live");
        final int ps = player.createStream();
        assertThat(player.play(ps, "s")).isEqualTo("NetStream.Play.Start");

        final Client publisher = new Client(server, LOCAL);
        publisher.connect("live");
        final int pub = publisher.createStream();
        publisher.publish(pub, "s");
        assertThat(player.channel.codes()).contains("NetStream.Play.PublishNotify");
        publisher.media(pub, MessageType.VIDEO, 0, VIDEO_CONFIG);
        publisher.media(pub, MessageType.VIDEO, 10, INTER);
        publisher.media(pub, MessageType.AUDIO, 12, AUDIO);
        publisher.media(pub, MessageType.VIDEO, 40, KEYFRAME);
        publisher.media(pub, MessageType.VIDEO, 80, INTER);
        assertThat(player.channel.media()).extracting(RecordingChannel.Sent::timestamp).containsExactly(0, 12, 40, 80);

        begin(publisher, "deleteStream").nul().number(pub);
        publisher.send(0);
        assertThat(player.channel.codes()).contains("NetStream.Play.UnpublishNotify");
        assertThat(player.channel.events).contains("eof " + ps);
        assertThat(events).contains("unpublish live s");
    }

    private static Amf0Writer begin(final Client client, final String name)
    {
        return client.begin(name);
    }

    @Test
    void connectCommandObjectInAmf3IsRead()
    {
        final MediaServer server = server(app(List.of(KEY), List.of(), List.of()));
        for (final boolean extended : new boolean[] {false, true})
        {
            final Client client = new Client(server, LOCAL);
            // "connect", txn, then 0x11 switching the command object to AMF3 (amf0.txt §3.1), a dynamic object
            // with a nested object, then the token as AMF0 again
            final UnsafeBuffer amf3 = new UnsafeBuffer(new byte[256]);
            final Amf3Writer w3 = new Amf3Writer().wrap(amf3, 0, amf3.capacity()).objectBegin()
                .key("flashVer").string("WIN 32,0,0,1")
                .key("nested").objectBegin().key("x").integer(1).objectEnd()
                .key("app").string("live")
                .key("objectEncoding").integer(3)
                .key("tcUrl").string("rtmfp://127.0.0.1/live")
                .objectEnd();
            final Amf0Writer w = client.begin("connect");
            client.buffer.putByte(w.position(), (byte)Amf0.AVMPLUS_OBJECT);
            client.buffer.putBytes(w.position() + 1, amf3, 0, w3.position());
            final int end = w.position() + 1 + w3.position();
            final Amf0Writer rest = new Amf0Writer().wrap(client.buffer, end, 512)
                .string(AuthTokens.token(KEY, "live"));
            final int length = end + rest.position();
            if (extended)
            {
                // type 17: format byte 0, then the same values (RFC 7425 §5.1)
                final byte[] copy = new byte[length + 1];
                client.buffer.getBytes(0, copy, 1, length);
                client.connection.onMessage(0, MessageType.COMMAND_AMF3, 0, new UnsafeBuffer(copy), 0, copy.length);
            }
            else
            {
                client.connection.onMessage(0, MessageType.COMMAND_AMF0, 0, client.buffer, 0, length);
            }
            assertThat(client.last()).as("extended %s", extended).isEqualTo("NetConnection.Connect.Success");
            assertThat(client.connection.malformedCommands()).isZero();
        }

        // a truncated AMF3 object is refused, not read past
        final Client bad = new Client(server, LOCAL);
        final Amf0Writer w = bad.begin("connect");
        bad.buffer.putByte(w.position(), (byte)Amf0.AVMPLUS_OBJECT);
        bad.buffer.putByte(w.position() + 1, (byte)0x0A); // object marker, then nothing
        bad.connection.onMessage(0, MessageType.COMMAND_AMF0, 0, bad.buffer, 0, w.position() + 2);
        assertThat(bad.last()).isEqualTo("NetConnection.Connect.Rejected");
        assertThat(bad.connection.malformedCommands()).isEqualTo(1);
    }

    @Test
    void secondPublisherGetsBadName()
    {
        final MediaServer server = server(app(List.of(), List.of(), List.of()));
        final Client first = new Client(server, LOCAL);
        first.connect("live");
        assertThat(first.publish(first.createStream(), "s")).isEqualTo("NetStream.Publish.Start");
        final Client second = new Client(server, LOCAL);
        second.connect("live");
        assertThat(second.publish(second.createStream(), "s")).isEqualTo("NetStream.Publish.BadName");
        // another app's namespace is separate
        final Client third = new Client(server, LOCAL);
        third.connect("other");
        assertThat(third.publish(third.createStream(), "s")).isEqualTo("NetStream.Publish.Start");
        // the name is free again once the first publisher leaves
        first.connection.close();
        assertThat(second.publish(second.createStream(), "s")).isEqualTo("NetStream.Publish.Start");
    }

    @Test
    void tokensAreCheckedAsTcserverDoes()
    {
        final MediaServer server = server(app(List.of(KEY), List.of(), List.of()));
        final Client none = new Client(server, LOCAL);
        assertThat(none.connect("live")).isEqualTo("NetConnection.Connect.Rejected");
        assertThat(none.channel.closed).isTrue();
        final Client wrong = new Client(server, LOCAL);
        assertThat(wrong.connect("live", AuthTokens.token(KEY, "other"))).isEqualTo("NetConnection.Connect.Rejected");
        final Client appWide = new Client(server, LOCAL);
        assertThat(appWide.connect("live", AuthTokens.token(KEY, "live"))).isEqualTo("NetConnection.Connect.Success");
        final Client user = new Client(server, LOCAL);
        assertThat(user.connect("live", "mike", AuthTokens.token(KEY, "mike@live")))
            .isEqualTo("NetConnection.Connect.Success");
        final Client badUser = new Client(server, LOCAL);
        assertThat(badUser.connect("live", "eve", AuthTokens.token(KEY, "mike@live")))
            .isEqualTo("NetConnection.Connect.Rejected");

        // tcserver.md's example values
        assertThat(AuthTokens.token("supersecret", "live/12345"))
            .isEqualTo("df41d9cbe74f325250d6e0346dcd9e95fb837892f4a927c27cecf2664d639786");
        assertThat(AuthTokens.token("supersecret", "mike@live/12345"))
            .isEqualTo("8bddf00ca7e31862fe17872c463df61eafde6518f565cb3def0e82a3b2d639d7");
        final byte[] serverNonce = java.util.HexFormat.of()
            .parseHex("55e154b9a21eaff92499897b384e2e9314b8c1305a383b66c365eaad3d83f4a0");
        assertThat(AuthTokens.hashWithNonce(serverNonce,
            "df41d9cbe74f325250d6e0346dcd9e95fb837892f4a927c27cecf2664d639786"))
            .isEqualTo("a762c38f376a273a583714b342ee700348882476a2350fc4e74b700411246841");
        assertThat(AuthTokens.verify(List.of("supersecret"), "live/12345", null,
            "a762c38f376a273a583714b342ee700348882476a2350fc4e74b700411246841", serverNonce)).isTrue();
        assertThat(AuthTokens.verify(List.of("supersecret"), "live/12345", null,
            "a762c38f376a273a583714b342ee700348882476a2350fc4e74b700411246841", null)).isFalse();
    }

    @Test
    void denyListsRefusePublishAndPlay()
    {
        final MediaServer server = server(app(List.of(), List.of("192.0.2.0/24"), List.of("127.0.0.0/8", "::1/128")));
        final Client denied = new Client(server, OTHER);
        denied.connect("live");
        assertThat(denied.publish(denied.createStream(), "s")).isEqualTo("NetStream.Publish.Denied");
        final Client allowed = new Client(server, LOCAL);
        allowed.connect("live");
        assertThat(allowed.publish(allowed.createStream(), "s")).isEqualTo("NetStream.Publish.Start");
        final Client player = new Client(server, LOCAL);
        player.connect("live");
        assertThat(player.play(player.createStream(), "s")).isEqualTo("NetStream.Play.Failed");
        final Client otherPlayer = new Client(server, OTHER);
        otherPlayer.connect("live");
        assertThat(otherPlayer.play(otherPlayer.createStream(), "s")).isEqualTo("NetStream.Play.Start");
        final Client ipv6Loopback = new Client(server, new InetSocketAddress("::1", 40000));
        ipv6Loopback.connect("live");
        assertThat(ipv6Loopback.play(ipv6Loopback.createStream(), "s")).isEqualTo("NetStream.Play.Failed");
        final Client ipv6Other = new Client(server, new InetSocketAddress("2001:db8::7", 40000));
        ipv6Other.connect("live");
        assertThat(ipv6Other.play(ipv6Other.createStream(), "s")).isEqualTo("NetStream.Play.Start");
    }

    @Test
    void malformedAndUnknownCommandsAndWrongStateAreAnsweredOrDropped()
    {
        final MediaServer server = server(app(List.of(), List.of(), List.of()));
        final Client client = new Client(server, LOCAL);
        client.begin("createStream").nul();
        client.send(0);
        assertThat(client.last()).isEqualTo("NetConnection.Call.Failed"); // before connect
        final byte[] garbage = {2, 0, 50, 'x', 3, 0, 1};
        client.media(0, MessageType.COMMAND_AMF0, 0, garbage);
        client.media(0, MessageType.COMMAND_AMF3, 0, new byte[0]);
        client.media(3, MessageType.VIDEO, 0, KEYFRAME); // no such stream
        client.media(0, 77, 0, garbage);
        assertThat(client.connection.malformedCommands()).isEqualTo(2);
        assertThat(client.connect("live")).isEqualTo("NetConnection.Connect.Success");
        client.begin("noSuchCommand").nul();
        client.send(0);
        assertThat(client.last()).isEqualTo("NetConnection.Call.Failed");
        client.begin("play").nul().string("s");
        client.send(5); // stream never created
        assertThat(client.last()).isEqualTo("NetConnection.Call.Failed");
        client.begin("connect").nul();
        client.send(0);
        assertThat(client.last()).isEqualTo("NetConnection.Call.Failed");
        // a connect object that lies about its size
        final Client broken = new Client(server, LOCAL);
        final byte[] truncated = {2, 0, 7, 'c', 'o', 'n', 'n', 'e', 'c', 't', 0, 0x3f, (byte)0xf0, 0, 0, 0, 0, 0, 0,
            3, 0, 3, 'a', 'p', 'p', 2, 0, 9, 'l'};
        broken.media(0, MessageType.COMMAND_AMF0, 0, truncated);
        assertThat(broken.last()).isEqualTo("NetConnection.Connect.Rejected");
        // the first connection still works
        assertThat(client.publish(client.createStream(), "s")).isEqualTo("NetStream.Publish.Start");
        assertThat(ConnectObject.appName(null, "rtmp://h:1935/live/x?k=v")).isEqualTo("live/x");
        assertThat(ConnectObject.appName("live?token=1", null)).isEqualTo("live");
        assertThat(ConnectObject.appName(null, "rtmp://h")).isNull();
    }

    @Test
    void slowPlayerDropsTheRestOfTheGopAndResumesAtTheNextKeyframe()
    {
        final MediaServer server = server(app(List.of(), List.of(), List.of()));
        final Client publisher = new Client(server, LOCAL);
        publisher.connect("live");
        final int pub = publisher.createStream();
        publisher.publish(pub, "s");
        publisher.media(pub, MessageType.VIDEO, 0, VIDEO_CONFIG);
        final Client player = new Client(server, LOCAL);
        player.connect("live");
        final int ps = player.createStream();
        player.play(ps, "s");
        player.channel.drain();

        publisher.media(pub, MessageType.VIDEO, 0, KEYFRAME);
        player.channel.capacityBytes = 0; // output full
        publisher.media(pub, MessageType.VIDEO, 40, INTER);
        player.channel.capacityBytes = Integer.MAX_VALUE; // room again, but the GOP is broken
        publisher.media(pub, MessageType.VIDEO, 80, INTER);
        publisher.media(pub, MessageType.AUDIO, 85, AUDIO);
        player.channel.backlogNs = Duration.ofSeconds(3).toNanos(); // behind: older than both lifetimes
        publisher.media(pub, MessageType.VIDEO, 120, KEYFRAME);
        publisher.media(pub, MessageType.AUDIO, 125, AUDIO);
        publisher.media(pub, MessageType.VIDEO, 125, VIDEO_CONFIG); // configuration is never dropped
        player.channel.backlogNs = 0;
        publisher.media(pub, MessageType.VIDEO, 160, INTER);
        publisher.media(pub, MessageType.VIDEO, 200, KEYFRAME);
        publisher.media(pub, MessageType.VIDEO, 240, INTER);

        assertThat(player.channel.media()).extracting(RecordingChannel.Sent::timestamp)
            .containsExactly(0, 85, 125, 200, 240);
        final PlayerPolicy policy = player.connection.playerPolicy(ps);
        assertThat(policy.dropped()).isEqualTo(5);
        assertThat(policy.gopsDropped()).isEqualTo(1);
    }

    @Test
    void fanOutAllocatesNothingPerMessage()
    {
        final MediaServer server = server(app(List.of(), List.of(), List.of()));
        final Client publisher = new Client(server, LOCAL);
        publisher.connect("live");
        final int pub = publisher.createStream();
        publisher.publish(pub, "s");
        final List<Client> players = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            final Client player = new Client(server, LOCAL);
            player.connect("live");
            player.play(player.createStream(), "s");
            player.channel.record = false;
            players.add(player);
        }
        final UnsafeBuffer keyframe = new UnsafeBuffer(new byte[4000]);
        keyframe.putBytes(0, KEYFRAME);
        final UnsafeBuffer inter = new UnsafeBuffer(new byte[1200]);
        inter.putBytes(0, INTER);
        final UnsafeBuffer audio = new UnsafeBuffer(AUDIO);
        final NetConnection connection = publisher.connection;

        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        final StringBuilder report = new StringBuilder("allocated bytes per 100,000 messages:");
        int timestamp = 0;
        for (int round = 0; round < 6; round++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 100_000; i++)
            {
                timestamp += 10;
                if (0 == i % 60)
                {
                    connection.onMessage(pub, MessageType.VIDEO, timestamp, keyframe, 0, keyframe.capacity());
                }
                else if (0 == i % 2)
                {
                    connection.onMessage(pub, MessageType.VIDEO, timestamp, inter, 0, inter.capacity());
                }
                else
                {
                    connection.onMessage(pub, MessageType.AUDIO, timestamp, audio, 0, audio.capacity());
                }
            }
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
            least = Math.min(least, allocated);
            report.append(' ').append(allocated);
        }
        System.out.println(report);
        for (final Client player : players)
        {
            assertThat(player.channel.sentCount).isGreaterThanOrEqualTo(600_000);
        }
        assertThat(least).as("bytes allocated in the quietest round").isZero();
    }

    @Test
    void tapsSeeEveryPublicationAndProvidersAndInProcessPublishersFeedPlayers()
    {
        final MediaServer server = server(app(List.of(), List.of(), List.of()));
        final List<String> tapped = new ArrayList<>();
        server.addTap(new StreamTap()
        {
            public void onPublish(final int handle, final String app, final String stream)
            {
                tapped.add("publish " + handle + " " + app + "/" + stream);
            }

            public void onMessage(final int handle, final int type, final int timestamp,
                final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                tapped.add("message " + handle + " " + type + "@" + timestamp + " " + length);
            }

            public void onUnpublish(final int handle)
            {
                tapped.add("unpublish " + handle);
            }
        });
        final List<Publication> started = new ArrayList<>();
        server.addProvider(new StreamSourceProvider()
        {
            public boolean onPlayUnknown(final String app, final String stream, final InternalPublisher publisher)
            {
                if (!stream.startsWith("replay"))
                {
                    return false;
                }
                final Publication publication = publisher.publish(app, stream);
                started.add(publication);
                publication.onMessage(MessageType.VIDEO, 0, new UnsafeBuffer(VIDEO_CONFIG), 0, VIDEO_CONFIG.length);
                publication.onMessage(MessageType.VIDEO, 0, new UnsafeBuffer(KEYFRAME), 0, KEYFRAME.length);
                return true;
            }

            public int doWork(final long nowNs)
            {
                return 0;
            }

            public void close()
            {
            }
        });

        // a network publisher is tapped
        final Client publisher = new Client(server, LOCAL);
        publisher.connect("live");
        final int pub = publisher.createStream();
        publisher.publish(pub, "s");
        publisher.media(pub, MessageType.VIDEO, 7, KEYFRAME);
        publisher.connection.close();
        assertThat(tapped).containsExactly("publish 1 live/s", "message 1 9@7 10", "unpublish 1");

        // a provider answers a play for a name that is not live; the player gets its config and keyframe
        final Client player = new Client(server, LOCAL);
        player.connect("live");
        final int ps = player.createStream();
        assertThat(player.play(ps, "replay@1700000000000")).isEqualTo("NetStream.Play.Start");
        assertThat(started).hasSize(1);
        final Publication replay = started.get(0);
        assertThat(replay.hasPlayers()).isTrue();
        replay.onMessage(MessageType.AUDIO, 40, new UnsafeBuffer(AUDIO), 0, AUDIO.length);
        assertThat(player.channel.media()).extracting(RecordingChannel.Sent::timestamp).containsExactly(0, 0, 40);
        assertThat(server.publish("live", "replay@1700000000000")).as("name taken").isNull();
        replay.close();
        assertThat(player.channel.codes()).contains("NetStream.Play.UnpublishNotify");
        replay.onMessage(MessageType.AUDIO, 80, new UnsafeBuffer(AUDIO), 0, AUDIO.length); // closed: ignored
        assertThat(player.channel.media()).hasSize(3);
        assertThat(tapped).contains("publish 2 live/replay@1700000000000", "unpublish 2");
        assertThat(events).contains("publish live replay@1700000000000", "unpublish live replay@1700000000000");

        // a name no provider knows: the player waits for a publisher
        assertThat(player.play(player.createStream(), "other")).isEqualTo("NetStream.Play.Start");
        final Publication live = server.publish("live", "other");
        assertThat(live).isNotNull();
        assertThat(player.channel.codes()).contains("NetStream.Play.PublishNotify");

        // everything is released when the last one leaves
        live.close();
        player.connection.close();
        assertThat(server.streamCount()).isZero();
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void amf3CommandsAreAnsweredInKind()
    {
        final MediaServer server = server(app(List.of(), List.of(), List.of()));
        final Client client = new Client(server, LOCAL);
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(256);
        b.putByte(0, (byte)0); // AMF3 command message: format selector, then AMF0 values
        final Amf0Writer w = new Amf0Writer().wrap(b, 1, 255).string("connect").number(1)
            .objectBegin().key("app").string("live").key("objectEncoding").number(3).objectEnd();
        client.connection.onMessage(0, MessageType.COMMAND_AMF3, 0, b, 0, w.position());
        final RecordingChannel.Sent reply = client.channel.sent.get(0);
        assertThat(reply.type()).isEqualTo(MessageType.COMMAND_AMF3);
        assertThat(reply.payload()[0]).isZero();
        assertThat(reply.code()).isEqualTo("NetConnection.Connect.Success");
        assertThat(client.connection.isConnected()).isTrue();
    }
}
