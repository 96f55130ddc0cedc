package io.flowcast.engine.rtmp;

import io.flowcast.codec.rtmp.Handshake;
import io.flowcast.codec.rtmp.HandshakeDigest;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.codec.rtmp.ProtocolControl;
import io.flowcast.codec.rtmp.UserControl;
import io.flowcast.engine.media.MediaEvent;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RTMP listener against scripted clients: the digest handshake, the control messages it sends and answers,
 * chunk size changes and extended timestamps end to end.
 */
@Tag("slow")
@Timeout(60)
class RtmpProtocolTest
{
    static boolean has(final List<RawRtmpClient.Message> messages, final int type)
    {
        return messages.stream().anyMatch(m -> m.type() == type);
    }

    static RawRtmpClient.Message first(final List<RawRtmpClient.Message> messages, final int type)
    {
        return messages.stream().filter(m -> m.type() == type).findFirst().orElseThrow();
    }

    static long u32(final byte[] bytes, final int offset)
    {
        return new UnsafeBuffer(bytes).getInt(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    @Test
    void digestHandshakeIsAnsweredWithAValidS1DigestAndS2Signature() throws Exception
    {
        try (RtmpServerHarness server = new RtmpServerHarness(c -> {});
            RawRtmpClient client = new RawRtmpClient(server.port(), 0))
        {
            final byte[] c0c1 = new byte[1 + Handshake.PACKET_LENGTH];
            new Random(1).nextBytes(c0c1);
            c0c1[0] = 3;
            final UnsafeBuffer c1 = new UnsafeBuffer(c0c1, 1, Handshake.PACKET_LENGTH);
            Handshake.encodeC1(c1, 0, 0, 0x0A000C02); // a Flash Player version: the digest handshake
            final HandshakeDigest digest = new HandshakeDigest();
            digest.sign(c1, 0, HandshakeDigest.SCHEME_1, HandshakeDigest.CLIENT_KEY,
                HandshakeDigest.CLIENT_PARTIAL_KEY_LENGTH);
            client.raw(c0c1);
            final byte[] s0s1s2 = client.in.readNBytes(1 + 2 * Handshake.PACKET_LENGTH);
            assertThat(s0s1s2[0]).isEqualTo((byte)3);
            final UnsafeBuffer s1 = new UnsafeBuffer(s0s1s2, 1, Handshake.PACKET_LENGTH);
            final UnsafeBuffer s2 = new UnsafeBuffer(s0s1s2, 1 + Handshake.PACKET_LENGTH, Handshake.PACKET_LENGTH);
            assertThat(digest.validate(s1, 0, HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_PARTIAL_KEY_LENGTH))
                .isEqualTo(HandshakeDigest.SCHEME_1);
            assertThat(digest.validateResponse(s2, 0, c1, 0, HandshakeDigest.SCHEME_1, HandshakeDigest.SERVER_KEY))
                .isTrue();
            // C2 signed the same way, then the server's opening control messages
            final byte[] c2 = new byte[Handshake.PACKET_LENGTH];
            new Random(2).nextBytes(c2);
            digest.signResponse(new UnsafeBuffer(c2), 0, s1, 0, HandshakeDigest.SCHEME_1, HandshakeDigest.CLIENT_KEY);
            client.raw(c2);
            assertThat(client.readUntil(m -> has(m, MessageType.SET_CHUNK_SIZE))).isTrue();
            assertThat(client.received).extracting(RawRtmpClient.Message::type).containsExactly(
                MessageType.WINDOW_ACK_SIZE, MessageType.SET_PEER_BANDWIDTH, MessageType.SET_CHUNK_SIZE);
            assertThat(u32(first(client.received, MessageType.SET_CHUNK_SIZE).payload(), 0)).isEqualTo(4096);
            assertThat(server.rtmp.digestHandshakes()).isOne();
        }
    }

    @Test
    void pingIsAnsweredWindowIsAcknowledgedAndExtendedTimestampsSurvive() throws Exception
    {
        try (RtmpServerHarness server = new RtmpServerHarness(c -> {});
            RawRtmpClient publisher = new RawRtmpClient(server.port(), 0);
            RawRtmpClient player = new RawRtmpClient(server.port(), 0))
        {
            publisher.handshake();
            final UnsafeBuffer control = new UnsafeBuffer(new byte[16]);
            ProtocolControl.encodeU32(control, 0, 1000);
            publisher.send(2, MessageType.WINDOW_ACK_SIZE, 0, 0, control, 4);
            publisher.chunkSize(300);
            UserControl.encode(control, 0, UserControl.PING_REQUEST, 0xCAFE);
            publisher.send(2, MessageType.USER_CONTROL, 0, 0, control, 6);
            publisher.send(0, MessageType.COMMAND_AMF0,
                publisher.command("connect").objectBegin().key("tcUrl").string("rtmp://x/live").objectEnd());
            publisher.send(0, MessageType.COMMAND_AMF0, publisher.command("createStream").nul());
            publisher.send(1, MessageType.COMMAND_AMF0, publisher.command("publish").nul().string("s"));
            assertThat(publisher.readUntil(m -> has(m, MessageType.USER_CONTROL) &&
                m.stream().filter(x -> x.type() == MessageType.COMMAND_AMF0).count() >= 3)).isTrue();
            final RawRtmpClient.Message pong = publisher.received.stream()
                .filter(m -> m.type() == MessageType.USER_CONTROL && m.payload()[1] == UserControl.PING_RESPONSE)
                .findFirst().orElseThrow();
            assertThat(u32(pong.payload(), 2)).isEqualTo(0xCAFE);
            assertThat(server.await(MediaEvent.PUBLISH, 1, 10_000)).isTrue();

            player.handshake();
            player.play("s");
            assertThat(server.await(MediaEvent.PLAY, 1, 10_000)).isTrue();

            // a keyframe of 5,000 bytes (17 chunks of 300) at a timestamp beyond 24 bits, then an inter frame
            final byte[] keyframe = new byte[5000];
            new Random(3).nextBytes(keyframe);
            keyframe[0] = 0x17;
            keyframe[1] = 1;
            publisher.send(6, MessageType.VIDEO, 0x0123_4567, 1, new UnsafeBuffer(keyframe), keyframe.length);
            final byte[] inter = {0x27, 1, 0, 0, 0, 9};
            publisher.send(6, MessageType.VIDEO, 0x0123_4567 + 40, 1, new UnsafeBuffer(inter), inter.length);
            assertThat(player.readUntil(m -> m.stream().filter(x -> x.type() == MessageType.VIDEO).count() == 2))
                .isTrue();
            final List<RawRtmpClient.Message> video = player.received.stream()
                .filter(m -> m.type() == MessageType.VIDEO).toList();
            assertThat(video.get(0).timestamp()).isEqualTo(0x0123_4567);
            assertThat(video.get(0).payload()).isEqualTo(keyframe);
            assertThat(video.get(0).streamId()).isEqualTo(1);
            assertThat(video.get(1).timestamp()).isEqualTo(0x0123_4567 + 40);
            assertThat(video.get(1).payload()).isEqualTo(inter);

            // more than the 1,000-byte window has been sent: the server acknowledged it
            assertThat(publisher.readUntil(m -> has(m, MessageType.ACKNOWLEDGEMENT))).isTrue();
            assertThat(u32(first(publisher.received, MessageType.ACKNOWLEDGEMENT).payload(), 0))
                .isGreaterThanOrEqualTo(1000);
            assertThat(server.rtmp.protocolErrors()).isZero();
        }
    }

    @Test
    void aChunkSizeOfUpTo31BitsIsAccepted() throws Exception
    {
        // a relay in its simple mode announces 2^24; RTMP allows up to 0x7FFFFFFF, and memory is bounded by message size
        for (final int size : new int[]{ 0x0100_0000, 0x7FFF_FFFF })
        {
            try (RtmpServerHarness server = new RtmpServerHarness(c -> {});
                RawRtmpClient publisher = new RawRtmpClient(server.port(), 0))
            {
                publisher.handshake();
                publisher.announceChunkSize(size);
                publisher.send(0, MessageType.COMMAND_AMF0,
                    publisher.command("connect").objectBegin().key("tcUrl").string("rtmp://x/live").objectEnd());
                publisher.send(0, MessageType.COMMAND_AMF0, publisher.command("createStream").nul());
                publisher.send(1, MessageType.COMMAND_AMF0, publisher.command("publish").nul().string("s"));
                assertThat(server.await(MediaEvent.PUBLISH, 1, 10_000)).as("chunk size %d", size).isTrue();
                assertThat(publisher.closedByServer()).isFalse();
                assertThat(server.rtmp.protocolErrors()).isZero();
            }
        }
    }

    @Test
    void connectionLimitAndHandshakeTimeoutCloseOnlyTheExcessAndTheSilent() throws Exception
    {
        try (RtmpServerHarness server = new RtmpServerHarness(c -> c
            .maxConnections(2)
            .handshakeTimeout(500, java.util.concurrent.TimeUnit.MILLISECONDS));
            RawRtmpClient first = new RawRtmpClient(server.port(), 0);
            RawRtmpClient silent = new RawRtmpClient(server.port(), 0))
        {
            first.handshake();
            first.send(0, MessageType.COMMAND_AMF0,
                first.command("connect").objectBegin().key("app").string("live").objectEnd());
            assertThat(first.readUntil(m -> m.stream().anyMatch(x -> x.type() == MessageType.COMMAND_AMF0))).isTrue();
            assertThat(server.await(MediaEvent.CONNECT, 1, 10_000)).isTrue();
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (server.rtmp.connectionCount() < 2 && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
            }
            try (RawRtmpClient excess = new RawRtmpClient(server.port(), 0))
            {
                assertThat(excess.closedByServer()).as("third connection refused").isTrue();
            }
            assertThat(server.rtmp.refusedConnections()).isOne();
            assertThat(silent.closedByServer()).as("silent connection timed out").isTrue();
            // the connected client outlives the handshake timeout and still answers
            Thread.sleep(700);
            first.send(0, MessageType.COMMAND_AMF0, first.command("createStream").nul());
            assertThat(first.readUntil(m -> m.stream().filter(x -> x.type() == MessageType.COMMAND_AMF0).count() >= 2))
                .isTrue();
        }
    }
}
