package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.CloseReason;
import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionListener;

import io.flowcast.codec.rtmfp.Address;
import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.IHelloChunk;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.RedirectChunk;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.crypto.PacketProtection;
import io.flowcast.engine.transport.ImpairedTransport;
import io.flowcast.engine.transport.UdpTransport;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("slow")
@Timeout(30)
class EndpointRobustnessTest
{
    @Test
    void hostileDatagramsAreDroppedAndCountedAndTheEndpointStillServes() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(serverEvents)
                .startupPacketsPerSecondPerAddress(1_000_000));
            DatagramChannel attacker = DatagramChannel.open())
        {
            final InetSocketAddress target = server.localAddresses().get(0);
            final Random random = new Random(7);
            final ByteBuffer datagram = ByteBuffer.allocate(1500);
            for (int i = 0; i < 2000; i++)
            {
                datagram.clear();
                final byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                if (i % 3 == 0 && bytes.length >= 12)
                {
                    // scramble to session 0 so the default-key path (checksum) sees it too
                    final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
                    Multiplex.scramble(buffer, 0, bytes.length, 0);
                }
                datagram.put(bytes).flip();
                attacker.send(datagram, target);
            }
            try (RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(clientEvents)))
            {
                client.connectToFingerprint(server.fingerprint(), server.localAddresses());
                assertThat(clientEvents.awaitOpened()).isNotNull();
            }
            final EndpointCounters counters = server.counters();
            final long drops = counters.dropTruncated.get() + counters.dropUnknownSession.get() +
                counters.dropMalformedPacket.get() + counters.decryptFailures[1].get() +
                counters.decryptFailures[3].get() + counters.malformedChunks.get() + counters.ignoredChunks.get();
            assertThat(drops).isGreaterThan(1000);
            assertThat(counters.handshakesRespondedOpen.get()).isEqualTo(1);
        }
    }

    @Test
    void handshakeSurvivesLossAndDuplicationAndAnswersDuplicateIIKeying() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        final SystemNanoClock clock = new SystemNanoClock();
        // every client datagram sent twice: the server sees each IIKeying twice and must answer both the same way
        final ImpairedTransport duplicating = new ImpairedTransport(
            new UdpTransport(List.of(new InetSocketAddress("127.0.0.1", 0)), 8192, 0),
            clock, 42, 0.0, 1.0, 0, 0, null, 256, 8192);
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(serverEvents));
            RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(clientEvents)
                .transport(duplicating)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final Session session = clientEvents.awaitOpened();
            assertThat(session).isNotNull();
            assertThat(serverEvents.awaitOpened()).isNotNull();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.counters().duplicateIIKeying.get() == 0 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertThat(server.counters().duplicateIIKeying.get()).isGreaterThanOrEqualTo(1);
            assertThat(server.counters().sessionsOpened.get()).isEqualTo(1);
            assertThat(client.counters().sessionsOpened.get()).isEqualTo(1);
        }

        final RecordingListener lossyServerEvents = new RecordingListener();
        final RecordingListener lossyClientEvents = new RecordingListener();
        final ImpairedTransport lossy = new ImpairedTransport(
            new UdpTransport(List.of(new InetSocketAddress("127.0.0.1", 0)), 8192, 0),
            clock, 3, 0.0, 0.0, 0, 0, (index) -> index < 3, 256, 8192); // first IHello, retry and IIKeying lost
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(lossyServerEvents));
            RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(lossyClientEvents)
                .helloInterval(50, TimeUnit.MILLISECONDS).transport(lossy)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            assertThat(lossyClientEvents.awaitOpened()).isNotNull();
            assertThat(lossy.dropped()).isEqualTo(3);
        }
    }

    @Test
    void aThrowingListenerIsCountedAndTheSessionStillWorks() throws Exception
    {
        final SessionListener throwing = new SessionListener()
        {
            public void onSessionOpened(final Session session)
            {
                throw new IllegalStateException("application bug (expected by the test)");
            }

            public void onSessionClosed(final Session session, final CloseReason reason)
            {
                throw new IllegalStateException("application bug (expected by the test)");
            }

            public void onOpenFailed(final long openId, final CloseReason reason)
            {
            }
        };
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(throwing));
            RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(clientEvents)))
        {
            client.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final Session session = clientEvents.awaitOpened();
            assertThat(session).isNotNull();
            client.close(session);
            assertThat(clientEvents.awaitClosed()).isEqualTo(CloseReason.LOCAL_CLOSE);
            EndpointHandshakeTest.awaitZero(client);
            EndpointHandshakeTest.awaitZero(server);
            // the open-session count drops just before onSessionClosed runs (and throws) on the agent thread
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.counters().listenerErrors.get() < 2 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertThat(server.counters().listenerErrors.get()).isEqualTo(2);
        }
    }

    @Test
    void startupPacketsFromOneAddressAreRateLimited() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(serverEvents)
                .startupPacketsPerSecondPerAddress(20));
            DatagramChannel flood = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)))
        {
            // 300 well-formed IHellos selecting the server, as fast as the socket takes them
            final PacketProtection protection = PacketProtection.defaultKey();
            final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
            final PacketAssembler assembler = new PacketAssembler();
            final UnsafeBuffer epd = new UnsafeBuffer(new byte[64]);
            final int epdLength = io.flowcast.crypto.EndpointDiscriminator.encodeFingerprint(
                epd, 0, server.fingerprint());
            final UnsafeBuffer tag = new UnsafeBuffer(new byte[16]);
            final long start = System.nanoTime();
            for (int i = 0; i < 300; i++)
            {
                assembler.wrap(out, protection.packetOffset(0), 1400);
                assembler.begin(PacketDecoder.MODE_STARTUP, false, false, 0, -1);
                assembler.commit(IHelloChunk.encode(out, assembler.position(), assembler.limit(),
                    epd, 0, epdLength, tag, 0, 16));
                send(flood, out, protection, assembler, server.localAddresses().get(0));
            }
            final EndpointCounters counters = server.counters();
            Thread.sleep(300); // the socket may drop some of the flood itself; what arrives is answered or counted
            final double seconds = Math.max(1, Math.ceil((System.nanoTime() - start) / 1e9));
            assertThat(counters.rhelloSent.get() + counters.dropRateLimitedPerAddress.get()).isBetween(21L, 300L);
            // at most 20 per started one-second window
            assertThat(counters.rhelloSent.get()).isBetween(1L, (long)(20 * (seconds + 1)));
            assertThat(counters.dropRateLimitedPerAddress.get()).isPositive();
        }
    }

    @Test
    void sessionsPerAddressAreBounded() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener firstEvents = new RecordingListener();
        final RecordingListener secondEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(serverEvents)
                .maxSessionsPerAddress(1).farCloseLinger(50, TimeUnit.MILLISECONDS));
            RtmfpEndpoint first = RtmfpEndpoint.launch(EndpointHandshakeTest.client(firstEvents));
            RtmfpEndpoint second = RtmfpEndpoint.launch(EndpointHandshakeTest.client(secondEvents)
                .openTimeout(700, TimeUnit.MILLISECONDS)))
        {
            first.connectToFingerprint(server.fingerprint(), server.localAddresses());
            final Session session = firstEvents.awaitOpened();
            assertThat(session).isNotNull();
            second.connectToFingerprint(server.fingerprint(), server.localAddresses());
            assertThat(secondEvents.awaitFailed()).isEqualTo(CloseReason.OPEN_TIMEOUT);
            assertThat(server.counters().handshakesRefusedLimit.get()).isPositive();

            // the count is released with the session (after its far-close linger): the address may open again
            first.close(session);
            assertThat(serverEvents.awaitClosed()).isEqualTo(CloseReason.REMOTE_CLOSE);
            Session reopened = null;
            for (int attempt = 0; attempt < 5 && null == reopened; attempt++)
            {
                Thread.sleep(100);
                second.connectToFingerprint(server.fingerprint(), server.localAddresses());
                reopened = secondEvents.opened.poll(2, TimeUnit.SECONDS);
            }
            assertThat(reopened).isNotNull();
        }
    }

    @Test
    void glareLeavesExactlyOneSessionBetweenTwoEndpoints() throws Exception
    {
        final RecordingListener aEvents = new RecordingListener();
        final RecordingListener bEvents = new RecordingListener();
        try (RtmfpEndpoint a = RtmfpEndpoint.launch(EndpointHandshakeTest.server(aEvents)
                .helloInterval(100, TimeUnit.MILLISECONDS));
            RtmfpEndpoint b = RtmfpEndpoint.launch(EndpointHandshakeTest.server(bEvents)
                .helloInterval(100, TimeUnit.MILLISECONDS)))
        {
            a.connectToFingerprint(b.fingerprint(), b.localAddresses());
            b.connectToFingerprint(a.fingerprint(), a.localAddresses());
            assertThat(aEvents.awaitOpened()).isNotNull();
            assertThat(bEvents.awaitOpened()).isNotNull();
            Thread.sleep(500);
            assertThat(aEvents.opened).isEmpty();
            assertThat(bEvents.opened).isEmpty();
            assertThat(a.openSessions()).isEqualTo(1);
            assertThat(b.openSessions()).isEqualTo(1);
            // exactly one of the two openings yielded, or both raced to separate sessions (never two per side)
            assertThat(aEvents.failed.size() + bEvents.failed.size()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void cookieChangeMakesTheInitiatorSendIIKeyingWithTheNewCookie() throws Exception
    {
        final RecordingListener clientEvents = new RecordingListener();
        try (DatagramChannel responder = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(clientEvents)))
        {
            client.connect("rtmfp://127.0.0.1:" + ((InetSocketAddress)responder.getLocalAddress()).getPort() + "/app");
            final PacketProtection protection = PacketProtection.defaultKey();
            final PacketDecoder decoder = new PacketDecoder();
            final ByteBuffer in = ByteBuffer.allocateDirect(4096);
            final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
            final PacketAssembler assembler = new PacketAssembler();
            final UnsafeBuffer oldCookie = new UnsafeBuffer(new byte[64]);
            oldCookie.setMemory(0, 64, (byte)1);
            final UnsafeBuffer newCookie = new UnsafeBuffer(new byte[64]);
            newCookie.setMemory(0, 64, (byte)2);
            final byte[] certificate = io.flowcast.crypto.SessionKeying.server(EndpointHandshakeTest.RANDOM)
                .certificate();

            // IHello → RHello with the old cookie
            InetSocketAddress from = receive(responder, in, protection, decoder, ChunkType.IHELLO);
            final IHelloChunk hello = new IHelloChunk();
            assertThat(hello.wrap(decoder)).isEqualTo(RtmfpError.OK);
            assembler.wrap(out, protection.packetOffset(0), 1400);
            assembler.begin(PacketDecoder.MODE_STARTUP, false, false, 0, -1);
            assembler.commit(io.flowcast.codec.rtmfp.RHelloChunk.encode(out, assembler.position(), assembler.limit(),
                hello.buffer(), hello.tagOffset(), hello.tagLength(), oldCookie, 0, 64,
                new UnsafeBuffer(certificate), 0, certificate.length));
            send(responder, out, protection, assembler, from);

            // IIKeying with the old cookie → Cookie Change
            from = receive(responder, in, protection, decoder, ChunkType.IIKEYING);
            final io.flowcast.codec.rtmfp.IIKeyingChunk keying = new io.flowcast.codec.rtmfp.IIKeyingChunk();
            assertThat(keying.wrap(decoder)).isEqualTo(RtmfpError.OK);
            assertThat(keying.buffer().getByte(keying.cookieOffset())).isEqualTo((byte)1);
            assembler.wrap(out, protection.packetOffset(0), 1400);
            assembler.begin(PacketDecoder.MODE_STARTUP, false, false, 0, -1);
            assembler.commit(io.flowcast.codec.rtmfp.RHelloCookieChangeChunk.encode(out, assembler.position(),
                assembler.limit(), oldCookie, 0, 64, newCookie, 0, 64));
            send(responder, out, protection, assembler, from);

            // the next IIKeying carries the new cookie (a retransmission with the old one may come first)
            byte first = 1;
            for (int i = 0; i < 5 && first != 2; i++)
            {
                receive(responder, in, protection, decoder, ChunkType.IIKEYING);
                assertThat(keying.wrap(decoder)).isEqualTo(RtmfpError.OK);
                assertThat(keying.cookieLength()).isEqualTo(64);
                first = keying.buffer().getByte(keying.cookieOffset());
            }
            assertThat(first).isEqualTo((byte)2);
            assertThat(client.counters().cookieChanges.get()).isEqualTo(1);
        }
    }

    private static InetSocketAddress receive(
        final DatagramChannel channel, final ByteBuffer in, final PacketProtection protection,
        final PacketDecoder decoder, final int expectedType) throws Exception
    {
        in.clear();
        final InetSocketAddress from = (InetSocketAddress)channel.receive(in);
        in.flip();
        final UnsafeBuffer buffer = new UnsafeBuffer(in);
        final int packetLength = protection.decrypt(buffer, 0, in.limit());
        assertThat(packetLength).isPositive();
        assertThat(decoder.wrap(buffer, protection.packetOffset(), packetLength)).isEqualTo(RtmfpError.OK);
        assertThat(decoder.next()).isEqualTo(expectedType);
        return from;
    }

    private static void send(
        final DatagramChannel channel, final UnsafeBuffer out, final PacketProtection protection,
        final PacketAssembler assembler, final InetSocketAddress to) throws Exception
    {
        final int length = protection.encrypt(out, 0, assembler.finish());
        Multiplex.scramble(out, 0, length, 0);
        final ByteBuffer datagram = out.byteBuffer().duplicate();
        datagram.limit(length).position(0);
        channel.send(datagram, to);
    }

    @Test
    void redirectFromAResponderIsFollowedToTheNewAddress() throws Exception
    {
        final RecordingListener serverEvents = new RecordingListener();
        final RecordingListener clientEvents = new RecordingListener();
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(serverEvents));
            DatagramChannel redirector = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(clientEvents)))
        {
            final InetSocketAddress real = server.localAddresses().get(0);
            client.connect("rtmfp://127.0.0.1:" + ((InetSocketAddress)redirector.getLocalAddress()).getPort() + "/app");

            // the redirector: receive the IHello, answer with a Redirect to the real server
            final ByteBuffer in = ByteBuffer.allocateDirect(2048);
            final InetSocketAddress from = (InetSocketAddress)redirector.receive(in);
            in.flip();
            final UnsafeBuffer buffer = new UnsafeBuffer(in);
            final PacketProtection protection = PacketProtection.defaultKey();
            final int packetLength = protection.decrypt(buffer, 0, in.limit());
            assertThat(packetLength).isPositive();
            final PacketDecoder decoder = new PacketDecoder();
            assertThat(decoder.wrap(buffer, protection.packetOffset(), packetLength)).isEqualTo(RtmfpError.OK);
            assertThat(decoder.next()).isEqualTo(ChunkType.IHELLO);
            final IHelloChunk hello = new IHelloChunk();
            assertThat(hello.wrap(decoder)).isEqualTo(RtmfpError.OK);

            final UnsafeBuffer addresses = new UnsafeBuffer(new byte[Address.IPV4_LENGTH]);
            Address.encodeIpv4(addresses, 0, 0x7F000001, real.getPort(), Address.ORIGIN_LOCAL);
            final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
            final PacketAssembler assembler = new PacketAssembler()
                .wrap(out, protection.packetOffset(0), 1400);
            assembler.begin(PacketDecoder.MODE_STARTUP, false, false, 0, -1);
            assembler.commit(RedirectChunk.encode(out, assembler.position(), assembler.limit(),
                hello.buffer(), hello.tagOffset(), hello.tagLength(), addresses, 0, Address.IPV4_LENGTH));
            final int length = protection.encrypt(out, 0, assembler.finish());
            Multiplex.scramble(out, 0, length, 0);
            final ByteBuffer reply = out.byteBuffer().duplicate();
            reply.limit(length).position(0);
            redirector.send(reply, from);

            assertThat(clientEvents.awaitOpened()).isNotNull();
            assertThat(client.counters().redirectsFollowed.get()).isEqualTo(1);
            assertThat(serverEvents.awaitOpened().farAddress().getPort()).isEqualTo(from.getPort());
        }
    }
}
