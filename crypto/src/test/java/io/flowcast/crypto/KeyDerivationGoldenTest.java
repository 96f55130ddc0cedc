package io.flowcast.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static io.flowcast.codec.golden.GoldenSession.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known answers from golden-keys.json: DH values, derived keys, nonces, intermediates, fingerprints, components.
 */
class KeyDerivationGoldenTest
{
    @Test
    void derivesTheRecordedKeysFromTheRecordedDhValuesAndComponents()
    {
        for (final JsonNode session : GoldenSession.keys().get("sessions"))
        {
            final JsonNode dh = session.get("dh");
            final DiffieHellmanGroup group = DiffieHellmanGroup.byId(dh.get("group").asInt());
            assertThat(group).isSameAs(DiffieHellmanGroup.GROUP_16);
            assertThat(group.prime()).isEqualTo(new BigInteger(1, hex(dh.get("modulus_hex").asText())));

            final DiffieHellmanKeyPair initiator = DiffieHellmanKeyPair.fromPrivate(
                group, new BigInteger(1, hex(dh.get("initiator_private_exponent_hex").asText())));
            final DiffieHellmanKeyPair responder = DiffieHellmanKeyPair.fromPrivate(
                group, new BigInteger(1, hex(dh.get("responder_private_exponent_hex").asText())));
            assertThat(GoldenSession.hex(initiator.publicKey())).isEqualTo(dh.get("initiator_public_hex").asText());
            assertThat(GoldenSession.hex(responder.publicKey())).isEqualTo(dh.get("responder_public_hex").asText());

            final byte[] secret = initiator.sharedSecret(responder.publicNumber());
            assertThat(GoldenSession.hex(secret)).isEqualTo(dh.get("shared_secret_hex").asText());
            assertThat(responder.sharedSecret(initiator.publicNumber())).isEqualTo(secret);

            final byte[] skic = hex(session.get("skic_hex").asText());
            final byte[] skrc = hex(session.get("skrc_hex").asText());
            final SessionKeys keys = SessionKeys.derive(secret, skic, skrc);
            final JsonNode intermediates = session.get("intermediates");
            assertThat(GoldenSession.hex(HmacSha256.hmac(skrc, skic)))
                .isEqualTo(intermediates.get("hmac_key_SKRC_msg_SKIC_hex").asText());
            assertThat(GoldenSession.hex(keys.i2rEncryptFull()))
                .isEqualTo(intermediates.get("initiator_encrypt_full32_hex").asText());
            assertThat(GoldenSession.hex(keys.r2iEncryptFull()))
                .isEqualTo(intermediates.get("responder_encrypt_full32_hex").asText());
            assertThat(GoldenSession.hex(keys.initiatorNonce()))
                .isEqualTo(session.get("nonces").get("initiator_nonce_hex").asText());
            assertThat(GoldenSession.hex(keys.responderNonce()))
                .isEqualTo(session.get("nonces").get("responder_nonce_hex").asText());

            final JsonNode i2r = session.get("keys").get("i2r");
            final JsonNode r2i = session.get("keys").get("r2i");
            assertThat(GoldenSession.hex(keys.i2rAesKey())).isEqualTo(i2r.get("aes128_cbc_key_hex").asText());
            assertThat(GoldenSession.hex(keys.i2rHmacKey())).isEqualTo(i2r.get("hmac_sha256_key_hex").asText());
            assertThat(GoldenSession.hex(keys.r2iAesKey())).isEqualTo(r2i.get("aes128_cbc_key_hex").asText());
            assertThat(GoldenSession.hex(keys.r2iHmacKey())).isEqualTo(r2i.get("hmac_sha256_key_hex").asText());
        }
    }

    @Test
    void notesVectorKeyDerivation()
    {
        final byte[] secret = new byte[128];
        for (int i = 0; i < secret.length; i++)
        {
            secret[i] = (byte)(i + 1);
        }
        final byte[] skic = hex("021d02410e" + "11".repeat(64) + "031a020a021e02");
        final byte[] skrc = hex("031a0000021e0081020d02" + "22".repeat(128));
        final SessionKeys keys = SessionKeys.derive(secret, skic, skrc);
        assertThat(GoldenSession.hex(keys.i2rEncryptFull()))
            .isEqualTo("3b10e5726a799e70c3b22dc3de6ffac4af9615a195b5f39d2b41caf1a38a2a67");
        assertThat(GoldenSession.hex(keys.r2iEncryptFull()))
            .isEqualTo("f8a87ed15a157e217093185cca12d6ca9521984094b4dbafe475813666a223cd");
        assertThat(GoldenSession.hex(keys.i2rHmacKey()))
            .isEqualTo("dad0d581b5363bb4367a522322b3ddfa3cce51925e1c9ed767113d8701f2ddec");
        assertThat(GoldenSession.hex(keys.r2iHmacKey()))
            .isEqualTo("6cc31d7909ec305201f00ec170117ab8f3c29862feb099a440eea0523ab70bb6");
        assertThat(GoldenSession.hex(keys.initiatorNonce()))
            .isEqualTo("98cb568449512a12bebacd66ab9ad8b189766986bba202c2981cd7f417459e00");
        assertThat(GoldenSession.hex(keys.responderNonce()))
            .isEqualTo("010d25eb1fbc3a0ff243c016cbf78684d7cd66f74fd2760fabe85977e5d56e2a");
    }

    @Test
    void recomputesTheFingerprintsOfTheRecordedCertificates()
    {
        final JsonNode endpoints = GoldenSession.keys().get("endpoints");
        final Certificate certificate = new Certificate();
        for (final JsonNode session : GoldenSession.keys().get("sessions"))
        {
            final byte[] initiatorBytes = hex(session.get("initiator_certificate_hex").asText());
            assertThat(certificate.wrap(new UnsafeBuffer(initiatorBytes), 0, initiatorBytes.length))
                .isEqualTo(Certificate.OK);
            assertThat(certificate.isStatic()).isTrue();
            assertThat(certificate.acceptsAncillaryData()).isFalse();
            assertThat(certificate.groupMask()).isEqualTo(DiffieHellmanGroup.GROUP_2.mask() |
                DiffieHellmanGroup.GROUP_14.mask() | DiffieHellmanGroup.GROUP_16.mask());
            assertThat(certificate.canonicalLength()).isEqualTo(initiatorBytes.length);
            assertThat(GoldenSession.hex(certificate.fingerprint()))
                .isEqualTo(session.get("initiator_fingerprint_sha256").asText())
                .isEqualTo(endpoints.get(session.get("label").asText()).get("fingerprint_printed").asText());
            assertThat(GoldenSession.hex(DiffieHellmanGroup.minimalBytes(certificate.staticPublicNumber(16))))
                .isEqualTo(session.get("dh").get("initiator_public_hex").asText());

            final byte[] responderBytes = hex(session.get("responder_certificate_hex").asText());
            final UnsafeBuffer responderBuffer = new UnsafeBuffer(responderBytes);
            assertThat(certificate.wrap(responderBuffer, 0, responderBytes.length)).isEqualTo(Certificate.OK);
            assertThat(certificate.isStatic()).isFalse();
            assertThat(certificate.acceptsAncillaryData()).isTrue();
            assertThat(certificate.extraRandomnessLength()).isEqualTo(64);
            assertThat(certificate.ephemeralGroupCount()).isEqualTo(3);
            assertThat(certificate.ephemeralGroup(0)).isEqualTo(16);
            final byte[] fingerprint = certificate.fingerprint();
            assertThat(GoldenSession.hex(fingerprint))
                .isEqualTo(session.get("responder_fingerprint_sha256").asText())
                .isEqualTo(endpoints.get("server").get("fingerprint_printed").asText());

            // The IHello's EPD (ancillary data = URI) selects the server certificate, and the server's canonical
            // EPD selects it too; the player's canonical EPD does not.
            final EndpointDiscriminator epd = new EndpointDiscriminator();
            final byte[] epdBytes = hex(session.get("epd_hex").asText());
            assertThat(epd.wrap(new UnsafeBuffer(epdBytes), 0, epdBytes.length)).isEqualTo(EndpointDiscriminator.OK);
            assertThat(epd.selects(certificate, fingerprint)).isTrue();
            final UnsafeBuffer canonical = new UnsafeBuffer(new byte[EndpointDiscriminator.CANONICAL_LENGTH]);
            assertThat(EndpointDiscriminator.encodeFingerprint(canonical, 0, fingerprint))
                .isEqualTo(EndpointDiscriminator.CANONICAL_LENGTH);
            assertThat(canonical.getShort(0, java.nio.ByteOrder.BIG_ENDIAN)).isEqualTo((short)0x210F);
            epd.wrap(canonical, 0, EndpointDiscriminator.CANONICAL_LENGTH);
            assertThat(epd.selects(certificate, fingerprint)).isTrue();
            final byte[] other = fingerprint.clone();
            other[31] ^= 1;
            assertThat(epd.selects(certificate, other)).isFalse();
        }
    }

    @Test
    void parsesTheRecordedKeyingComponents()
    {
        final KeyingComponent component = new KeyingComponent();
        for (final JsonNode session : GoldenSession.keys().get("sessions"))
        {
            final byte[] skic = hex(session.get("skic_hex").asText());
            assertThat(component.wrap(new UnsafeBuffer(skic), 0, skic.length)).isEqualTo(KeyingComponent.OK);
            assertThat(component.groupSelect()).isEqualTo(16);
            assertThat(component.dhGroup()).isEqualTo(-1);
            assertThat(component.extraRandomnessLength()).isEqualTo(64);
            assertThat(component.hmacFlags()).isEqualTo(Negotiation.REQUIRED);
            assertThat(component.hmacLength()).isEqualTo(16);
            assertThat(component.sseqFlags()).isEqualTo(Negotiation.REQUIRED);
            assertThat(component.bytes()).isEqualTo(skic);

            final byte[] skrc = hex(session.get("skrc_hex").asText());
            assertThat(component.wrap(new UnsafeBuffer(skrc), 0, skrc.length)).isEqualTo(KeyingComponent.OK);
            assertThat(component.dhGroup()).isEqualTo(16);
            assertThat(GoldenSession.hex(DiffieHellmanGroup.minimalBytes(component.publicNumber())))
                .isEqualTo(session.get("dh").get("responder_public_hex").asText());
            assertThat(component.publicKeyLength()).isEqualTo(512);
            assertThat(component.hmacFlags()).isEqualTo(7);
            assertThat(component.sseqFlags()).isEqualTo(7);

            final JsonNode negotiated = session.get("negotiated");
            final int hmac = Negotiation.negotiate(Negotiation.REQUIRED, component.hmacFlags());
            assertThat((hmac & Negotiation.SEND) != 0).isEqualTo(negotiated.get("i2r").get("hmac").asBoolean());
            assertThat((hmac & Negotiation.RECEIVE) != 0).isEqualTo(negotiated.get("r2i").get("hmac").asBoolean());
        }
    }

    @Test
    void reEncodesTheReferenceResponderCertificateShape()
    {
        final JsonNode session = GoldenSession.keys().get("sessions").get(0);
        final byte[] recorded = hex(session.get("responder_certificate_hex").asText());
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[200]);
        int n = Certificate.encodeAcceptsAncillaryData(buffer, 0);
        n += Certificate.encodeEphemeralGroup(buffer, n, 16);
        n += Certificate.encodeEphemeralGroup(buffer, n, 14);
        n += Certificate.encodeEphemeralGroup(buffer, n, 2);
        n += Certificate.encodeExtraRandomness(buffer, n, java.util.Arrays.copyOfRange(recorded, recorded.length - 64,
            recorded.length));
        assertThat(GoldenSession.hex(PacketProtectionTest.bytes(buffer, 0, n))).isEqualTo(GoldenSession.hex(recorded));
    }
}
