package io.flowcast.engine.startup;

import io.flowcast.engine.endpoint.EndpointHandshakeTest;
import io.flowcast.engine.endpoint.RecordingListener;
import io.flowcast.engine.endpoint.RtmfpEndpoint;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.IHelloChunk;
import io.flowcast.codec.rtmfp.IIKeyingChunk;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.RHelloChunk;
import io.flowcast.codec.rtmfp.RtmfpError;
import io.flowcast.crypto.EndpointDiscriminator;
import io.flowcast.crypto.PacketProtection;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Well-framed but hostile startup packets (valid default-key encryption and checksum, so they reach the chunk
 * parsers): random startup chunks, and IIKeyings that carry a genuine cookie (so they reach certificate parsing and
 * keying) with mutated certificates, SKICs and session IDs. The agent must drop and count them all, never throw,
 * and still serve a normal handshake afterwards.
 */
@Tag("slow")
@Timeout(60)
class StartupFuzzTest
{
    private static final int[] STARTUP_TYPES = {
        ChunkType.IHELLO, ChunkType.RHELLO, ChunkType.IIKEYING, ChunkType.RIKEYING, ChunkType.REDIRECT,
        ChunkType.RHELLO_COOKIE_CHANGE, ChunkType.FORWARDED_IHELLO, ChunkType.PING, ChunkType.USER_DATA };

    private final PacketProtection protection = PacketProtection.defaultKey();
    private final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final PacketAssembler assembler = new PacketAssembler();

    @Test
    void hostileStartupChunksAreDroppedWithoutThrowing() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final RecordingListener serverEvents = new RecordingListener();
        final Random random = new Random(20261122);
        try (RtmfpEndpoint server = RtmfpEndpoint.launch(EndpointHandshakeTest.server(serverEvents)
                .startupPacketsPerSecondPerAddress(1_000_000).errorHandler(errors::add));
            DatagramChannel fuzzer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)))
        {
            final InetSocketAddress target = server.localAddresses().get(0);

            // 1. random chunks of every startup type
            for (int i = 0; i < 3000; i++)
            {
                final byte[] payload = new byte[random.nextInt(300)];
                random.nextBytes(payload);
                begin();
                assembler.appendChunk(STARTUP_TYPES[random.nextInt(STARTUP_TYPES.length)],
                    new UnsafeBuffer(payload), 0, payload.length);
                send(fuzzer, 0, target);
            }

            // 2. a real IHello → RHello gives a genuine cookie bound to our address
            final UnsafeBuffer epd = new UnsafeBuffer(new byte[64]);
            final int epdLength = EndpointDiscriminator.encodeFingerprint(epd, 0, server.fingerprint());
            final UnsafeBuffer tag = new UnsafeBuffer(new byte[16]);
            begin();
            assembler.commit(IHelloChunk.encode(out, assembler.position(), assembler.limit(), epd, 0, epdLength,
                tag, 0, 16));
            send(fuzzer, 0, target);
            final ByteBuffer in = ByteBuffer.allocateDirect(4096);
            fuzzer.configureBlocking(true);
            fuzzer.receive(in);
            in.flip();
            final UnsafeBuffer received = new UnsafeBuffer(in);
            final int packetLength = protection.decrypt(received, 0, in.limit());
            final PacketDecoder decoder = new PacketDecoder();
            assertThat(decoder.wrap(received, protection.packetOffset(), packetLength)).isEqualTo(RtmfpError.OK);
            assertThat(decoder.next()).isEqualTo(ChunkType.RHELLO);
            final RHelloChunk rHello = new RHelloChunk();
            assertThat(rHello.wrap(decoder)).isEqualTo(RtmfpError.OK);
            final byte[] cookie = new byte[rHello.cookieLength()];
            received.getBytes(rHello.cookieOffset(), cookie);
            final byte[] certificate = new byte[rHello.certificateLength()];
            received.getBytes(rHello.certificateOffset(), certificate); // a plausible certificate to mutate

            // 3. IIKeyings with the genuine cookie and mutated certificate / SKIC
            for (int i = 0; i < 300; i++)
            {
                final byte[] cert = mutate(certificate, random);
                final byte[] skic = new byte[random.nextInt(200)];
                random.nextBytes(skic);
                if (random.nextBoolean() && skic.length > 4)
                {
                    skic[0] = 0x03; // start like a real option list
                    skic[1] = 0x1A;
                }
                begin();
                assembler.commit(IIKeyingChunk.encode(out, assembler.position(), assembler.limit(),
                    random.nextInt(), new UnsafeBuffer(cookie), 0, cookie.length,
                    new UnsafeBuffer(cert), 0, cert.length, new UnsafeBuffer(skic), 0, skic.length,
                    new UnsafeBuffer(new byte[]{ 'X' }), 0, 1));
                send(fuzzer, 0, target);
            }

            Thread.sleep(300);
            final RecordingListener clientEvents = new RecordingListener();
            try (RtmfpEndpoint client = RtmfpEndpoint.launch(EndpointHandshakeTest.client(clientEvents)))
            {
                client.connectToFingerprint(server.fingerprint(), server.localAddresses());
                assertThat(clientEvents.awaitOpened()).isNotNull();
            }
            assertThat(errors).isEmpty();
            assertThat(server.counters().handshakesKeyingFailed.get() + server.counters().malformedChunks.get())
                .isPositive();
        }
    }

    private void begin()
    {
        assembler.wrap(out, protection.packetOffset(0), 1400);
        assembler.begin(PacketDecoder.MODE_STARTUP, false, false, 0, -1);
    }

    private void send(final DatagramChannel channel, final int sessionId, final InetSocketAddress target)
        throws Exception
    {
        final int length = protection.encrypt(out, 0, assembler.finish());
        Multiplex.scramble(out, 0, length, sessionId);
        final ByteBuffer datagram = out.byteBuffer().duplicate();
        datagram.limit(length).position(0);
        channel.send(datagram, target);
        if ((System.nanoTime() & 7) == 0)
        {
            TimeUnit.MICROSECONDS.sleep(50); // let the server keep up a little; drops are fine too
        }
    }

    private static byte[] mutate(final byte[] original, final Random random)
    {
        final byte[] bytes = random.nextInt(4) == 0 ?
            java.util.Arrays.copyOf(original, random.nextInt(original.length + 1)) : original.clone();
        final int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && bytes.length > 0; i++)
        {
            bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
        }
        return bytes;
    }
}
