package io.flowcast.codec.rtmp;

import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known answers computed independently (Python hmac/hashlib over the same deterministic packets).
 */
class HandshakeDigestTest
{
    private static UnsafeBuffer c1()
    {
        final UnsafeBuffer c1 = new UnsafeBuffer(new byte[Handshake.PACKET_LENGTH]);
        for (int i = 0; i < Handshake.PACKET_LENGTH; i++)
        {
            c1.putByte(i, (byte)(i * 7 + 3));
        }
        Handshake.encodeC1(c1, 0, 0, 0x8000_0702);
        return c1;
    }

    @Test
    void keysAreTheWellKnownOnes()
    {
        assertThat(HandshakeDigest.CLIENT_KEY).hasSize(62);
        assertThat(HandshakeDigest.SERVER_KEY).hasSize(68);
        assertThat(new String(HandshakeDigest.SERVER_KEY, 0, 36, java.nio.charset.StandardCharsets.US_ASCII))
            .isEqualTo("Genuine Adobe Flash Media Server 001");
        assertThat(Arrays.copyOfRange(HandshakeDigest.CLIENT_KEY, 30, 62))
            .isEqualTo(Arrays.copyOfRange(HandshakeDigest.SERVER_KEY, 36, 68));
    }

    @Test
    void signsAndValidatesC1InBothSchemes()
    {
        final HandshakeDigest digest = new HandshakeDigest();
        final UnsafeBuffer c1 = c1();
        assertThat(digest.validate(c1, 0, HandshakeDigest.CLIENT_KEY, 30)).isEqualTo(HandshakeDigest.NO_DIGEST);

        final int at = digest.sign(c1, 0, HandshakeDigest.SCHEME_0, HandshakeDigest.CLIENT_KEY, 30);
        assertThat(at).isEqualTo(290);
        assertThat(GoldenSession.hex(Arrays.copyOfRange(c1.byteArray(), at, at + 32)))
            .isEqualTo("0b441119ef46c4660e578ac88d3bf4c2d8901ff9a39c94bb92cb345f63928860");
        assertThat(digest.validate(c1, 0, HandshakeDigest.CLIENT_KEY, 30)).isEqualTo(HandshakeDigest.SCHEME_0);
        assertThat(digest.validate(c1, 0, HandshakeDigest.SERVER_KEY, 36)).isEqualTo(HandshakeDigest.NO_DIGEST);

        // S2 answers C1: signature keyed by HMAC(full server key, C1 digest)
        final UnsafeBuffer s2 = new UnsafeBuffer(new byte[Handshake.PACKET_LENGTH]);
        for (int i = 0; i < Handshake.PACKET_LENGTH; i++)
        {
            s2.putByte(i, (byte)(i * 13 + 1));
        }
        digest.signResponse(s2, 0, c1, 0, HandshakeDigest.SCHEME_0, HandshakeDigest.SERVER_KEY);
        assertThat(GoldenSession.hex(Arrays.copyOfRange(s2.byteArray(), 1504, 1536)))
            .isEqualTo("d8dca534bc8c2b5dae22f2f815d0150a88daac14361fcf94db30b79fde6f8c5d");
        assertThat(digest.validateResponse(s2, 0, c1, 0, HandshakeDigest.SCHEME_0, HandshakeDigest.SERVER_KEY)).isTrue();
        s2.putByte(100, (byte)(s2.getByte(100) + 1));
        assertThat(digest.validateResponse(s2, 0, c1, 0, HandshakeDigest.SCHEME_0, HandshakeDigest.SERVER_KEY)).isFalse();

        final UnsafeBuffer other = c1();
        final int at1 = digest.sign(other, 0, HandshakeDigest.SCHEME_1, HandshakeDigest.CLIENT_KEY, 30);
        assertThat(at1).isEqualTo(942);
        assertThat(GoldenSession.hex(Arrays.copyOfRange(other.byteArray(), at1, at1 + 32)))
            .isEqualTo("8e211aefe949d44221d8905aa6154973bcab5ecb43dc582f65b1de1c2f94e4d5");
        assertThat(digest.validate(other, 0, HandshakeDigest.CLIENT_KEY, 30)).isEqualTo(HandshakeDigest.SCHEME_1);
    }

    @Test
    void digestOffsetsStayInsideTheirHalves()
    {
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[Handshake.PACKET_LENGTH]);
        for (final int b : new int[] { 0, 0xFF })
        {
            for (int i = 0; i < Handshake.PACKET_LENGTH; i++)
            {
                packet.putByte(i, (byte)b);
            }
            final int at0 = HandshakeDigest.digestOffset(packet, 0, HandshakeDigest.SCHEME_0);
            final int at1 = HandshakeDigest.digestOffset(packet, 0, HandshakeDigest.SCHEME_1);
            assertThat(at0).isBetween(12, 772 - 32);
            assertThat(at1).isBetween(776, Handshake.PACKET_LENGTH - 32);
        }
    }

    @Test
    void simpleHandshakeEcho()
    {
        final UnsafeBuffer c1 = c1();
        final UnsafeBuffer s2 = new UnsafeBuffer(new byte[Handshake.PACKET_LENGTH]);
        Handshake.encodeEcho(s2, 0, c1, 0, 77);
        final Handshake handshake = new Handshake().wrap(s2, 0);
        assertThat(handshake.time()).isZero();
        assertThat(handshake.second()).isEqualTo(77);
        assertThat(handshake.echoes(c1, 0)).isTrue();
        s2.putByte(1000, (byte)~s2.getByte(1000));
        assertThat(handshake.echoes(c1, 0)).isFalse();
        assertThat(new Handshake().wrap(c1, 0).second()).isEqualTo(0x8000_0702L);
    }
}
