package io.flowcast.crypto;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.flowcast.codec.golden.GoldenSession.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificates, endpoint discriminators and keying components on hand-built and hostile input.
 */
class CertificateTest
{
    private static final byte[] VALID_CERTIFICATE = hex("010a021510021502410e" + "5a".repeat(64));

    @Test
    void canonicalPartRunsThroughTheMarkerAndLaterOptionsAreIgnored()
    {
        // 01 0A | 02 15 02 | 00 (marker) | 02 15 0E (non-canonical, ignored)
        final byte[] bytes = hex("010a021502" + "00" + "02150e");
        final Certificate certificate = new Certificate();
        assertThat(certificate.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isEqualTo(Certificate.OK);
        assertThat(certificate.canonicalLength()).isEqualTo(6);
        assertThat(certificate.groupMask()).isEqualTo(DiffieHellmanGroup.GROUP_2.mask());
        assertThat(certificate.fingerprint()).isEqualTo(HmacSha256.sha256(bytes, 0, 6));

        final byte[] noMarker = hex("010a021502");
        certificate.wrap(new UnsafeBuffer(noMarker), 0, noMarker.length);
        assertThat(certificate.fingerprint()).isEqualTo(HmacSha256.sha256(noMarker, 0, noMarker.length));
    }

    @Test
    void refusesCertificatesWithoutGroupsOrWithBothKinds()
    {
        final Certificate certificate = new Certificate();
        final byte[] none = hex("010a");
        assertThat(certificate.wrap(new UnsafeBuffer(none), 0, none.length)).isEqualTo(Certificate.ERROR_NO_GROUPS);
        final byte[] both = hex("021502" + "061d0201020304");
        assertThat(certificate.wrap(new UnsafeBuffer(both), 0, both.length))
            .isEqualTo(Certificate.ERROR_STATIC_AND_EPHEMERAL);
        final byte[] truncated = hex("010a0515");
        assertThat(certificate.wrap(new UnsafeBuffer(truncated), 0, truncated.length))
            .isEqualTo(Certificate.ERROR_MALFORMED);
        assertThat(certificate.wrap(new UnsafeBuffer(truncated), 2, 10)).isEqualTo(Certificate.ERROR_MALFORMED);
    }

    @Test
    void endpointDiscriminatorSelection()
    {
        final UnsafeBuffer cert = new UnsafeBuffer(new byte[100]);
        int n = Certificate.encodeHostname(cert, 0, "host.example".getBytes(StandardCharsets.US_ASCII));
        n += Certificate.encodeEphemeralGroup(cert, n, 2);
        final Certificate client = new Certificate();
        assertThat(client.wrap(cert, 0, n)).isEqualTo(Certificate.OK);
        final byte[] fingerprint = client.fingerprint();

        final UnsafeBuffer epdBuffer = new UnsafeBuffer(new byte[100]);
        final EndpointDiscriminator epd = new EndpointDiscriminator();
        int e = EndpointDiscriminator.encodeRequiredHostname(
            epdBuffer, 0, "host.example".getBytes(StandardCharsets.US_ASCII));
        assertThat(hex(PacketProtectionTest.bytes(epdBuffer, 0, e))).isEqualTo("0d00686f73742e6578616d706c65");
        assertThat(epd.wrap(epdBuffer, 0, e)).isEqualTo(EndpointDiscriminator.OK);
        assertThat(epd.selects(client, fingerprint)).isTrue();

        e = EndpointDiscriminator.encodeRequiredHostname(epdBuffer, 0, "host.exampl3".getBytes(StandardCharsets.US_ASCII));
        epd.wrap(epdBuffer, 0, e);
        assertThat(epd.selects(client, fingerprint)).isFalse();

        // Ancillary data (a URI) only selects servers.
        e = EndpointDiscriminator.encodeAncillaryData(
            epdBuffer, 0, "rtmfp://example.com/app".getBytes(StandardCharsets.US_ASCII));
        assertThat(hex(PacketProtectionTest.bytes(epdBuffer, 0, e)))
            .isEqualTo("180a72746d66703a2f2f6578616d706c652e636f6d2f617070");
        epd.wrap(epdBuffer, 0, e);
        assertThat(epd.selects(client, fingerprint)).isFalse();
        assertThat(epd.ancillaryDataLength()).isEqualTo(23);

        // A fingerprint decides alone: wrong fingerprint + matching hostname is not selected.
        final byte[] wrong = fingerprint.clone();
        wrong[0] ^= 1;
        e = EndpointDiscriminator.encodeFingerprint(epdBuffer, 0, wrong);
        e += EndpointDiscriminator.encodeRequiredHostname(epdBuffer, e, "host.example".getBytes(StandardCharsets.US_ASCII));
        epd.wrap(epdBuffer, 0, e);
        assertThat(epd.selects(client, fingerprint)).isFalse();

        assertThat(epd.wrap(new UnsafeBuffer(hex("0301aabb")), 0, 4)).isEqualTo(EndpointDiscriminator.ERROR_EMPTY);
        assertThat(epd.wrap(new UnsafeBuffer(hex("090f00")), 0, 3)).isEqualTo(EndpointDiscriminator.ERROR_MALFORMED);
    }

    @Test
    void keyingComponentRefusesMalformedOptions()
    {
        final KeyingComponent component = new KeyingComponent();
        assertThat(component.wrap(new UnsafeBuffer(hex("011a")), 0, 2)).isEqualTo(KeyingComponent.ERROR_BAD_OPTION);
        assertThat(component.wrap(new UnsafeBuffer(hex("011e")), 0, 2)).isEqualTo(KeyingComponent.ERROR_BAD_OPTION);
        assertThat(component.wrap(new UnsafeBuffer(hex("020d80")), 0, 3)).isEqualTo(KeyingComponent.ERROR_BAD_OPTION);
        assertThat(component.wrap(new UnsafeBuffer(hex("051e")), 0, 2)).isEqualTo(KeyingComponent.ERROR_MALFORMED);
        // Absent negotiation options mean flags 0.
        assertThat(component.wrap(new UnsafeBuffer(hex("021d02")), 0, 3)).isEqualTo(KeyingComponent.OK);
        assertThat(component.hmacFlags()).isZero();
        assertThat(component.sseqFlags()).isZero();
        assertThat(component.groupSelect()).isEqualTo(2);
    }

    @Test
    void hostileInputNeverThrowsOrReadsPastTheBuffer()
    {
        final Random random = new Random(7425);
        final Certificate certificate = new Certificate();
        final EndpointDiscriminator epd = new EndpointDiscriminator();
        final KeyingComponent component = new KeyingComponent();
        final DirectionKeys keys = new DirectionKeys(new byte[16], new byte[32], 16, true);
        final PacketProtection protection = new PacketProtection(keys, DirectionKeys.DEFAULT);
        final byte[] fingerprint = new byte[32];
        int accepted = 0;
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] bytes;
            if (0 == (i & 1))
            {
                bytes = new byte[random.nextInt(80)];
                random.nextBytes(bytes);
            }
            else
            {
                // A valid certificate with one byte changed and a random cut.
                bytes = java.util.Arrays.copyOf(VALID_CERTIFICATE, random.nextInt(VALID_CERTIFICATE.length + 1));
                if (bytes.length > 0)
                {
                    bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
                }
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            if (Certificate.OK == certificate.wrap(buffer, 0, bytes.length))
            {
                certificate.fingerprint();
                accepted++;
            }
            if (EndpointDiscriminator.OK == epd.wrap(buffer, 0, bytes.length) &&
                Certificate.OK == certificate.wrap(buffer, 0, bytes.length))
            {
                epd.selects(certificate, fingerprint);
            }
            component.wrap(buffer, 0, bytes.length);
            assertThat(protection.decrypt(buffer, 0, bytes.length)).isLessThan(bytes.length);
        }
        assertThat(accepted).isPositive();
    }
}
