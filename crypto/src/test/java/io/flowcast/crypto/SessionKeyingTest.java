package io.flowcast.crypto;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both roles in-process: every group, ephemeral and static keys, derive matching keys and exchange packets.
 */
class SessionKeyingTest
{
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void everyGroupEphemeralAndStaticDeriveMatchingKeys()
    {
        for (final DiffieHellmanGroup group : new DiffieHellmanGroup[]{
            DiffieHellmanGroup.GROUP_2, DiffieHellmanGroup.GROUP_5, DiffieHellmanGroup.GROUP_14 })
        {
            handshake(group, false, false);
            handshake(group, true, false);
            handshake(group, false, true);
            handshake(group, true, true);
        }
        // 4096-bit modexp is slow: the common case (static client, ephemeral server) and static-static only.
        handshake(DiffieHellmanGroup.GROUP_16, true, false);
        handshake(DiffieHellmanGroup.GROUP_16, true, true);
    }

    @Test
    void defaultServerAndClientShapes()
    {
        final SessionKeying server = SessionKeying.server(RANDOM);
        final Certificate serverCertificate = wrap(server.certificate());
        assertThat(serverCertificate.length()).isEqualTo(2 + 4 * 3 + 66); // 01 0A, 4 groups, 64 random
        assertThat(serverCertificate.ephemeralGroup(0)).isEqualTo(16);
        assertThat(serverCertificate.acceptsAncillaryData()).isTrue();
        final SessionKeying client = SessionKeying.client(RANDOM, DiffieHellmanGroup.GROUP_2.generateKeyPair(RANDOM));
        final Certificate clientCertificate = wrap(client.certificate());
        assertThat(clientCertificate.isStatic()).isTrue();
        assertThat(clientCertificate.buffer().getShort(0, java.nio.ByteOrder.BIG_ENDIAN)).isEqualTo((short)0x8102);
        assertThat(clientCertificate.length()).isBetween(131, 132); // Flash shape: 81 02 1D 02 + key
        assertThat(client.fingerprint()).isEqualTo(clientCertificate.fingerprint());
        final SessionKeying.Result[] pair = run(client, server);
        assertThat(pair[0].group()).isSameAs(DiffieHellmanGroup.GROUP_2);
        exchange(pair[0], pair[1]);
    }

    @Test
    void sessionsShareOneScratch()
    {
        final SessionKeying.Result[] first = run(SessionKeying.client(RANDOM, DiffieHellmanGroup.GROUP_2.generateKeyPair(
            RANDOM)), endpoint(DiffieHellmanGroup.GROUP_2.mask(), null, true));
        final PacketProtection.Scratch scratch = new PacketProtection.Scratch();
        final PacketProtection a = new PacketProtection(first[0].send(), first[0].receive(), scratch);
        final PacketProtection b = new PacketProtection(first[1].send(), first[1].receive(), scratch);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[300]);
        assertThat(b.decrypt(buffer, 0, PacketProtectionTest.seal(a, buffer, 99))).isGreaterThanOrEqualTo(99);
        assertThat(a.decrypt(buffer, 0, PacketProtectionTest.seal(b, buffer, 99))).isGreaterThanOrEqualTo(99);
    }

    @Test
    void strongestCommonGroupIsChosen()
    {
        final SessionKeying server = endpoint(DiffieHellmanGroup.ALL_GROUPS, null, true);
        final SessionKeying client = endpoint(
            DiffieHellmanGroup.GROUP_2.mask() | DiffieHellmanGroup.GROUP_5.mask(), null, false);
        final Certificate serverCertificate = wrap(server.certificate());
        assertThat(client.initiate(serverCertificate).group()).isSameAs(DiffieHellmanGroup.GROUP_5);

        final SessionKeying onlyFourteen = endpoint(DiffieHellmanGroup.GROUP_14.mask(), null, false);
        assertThat(onlyFourteen.initiate(wrap(endpoint(DiffieHellmanGroup.GROUP_2.mask(), null, true).certificate())))
            .isNull();
        assertThat(DiffieHellmanGroup.strongestCommon(DiffieHellmanGroup.ALL_GROUPS, DiffieHellmanGroup.ALL_GROUPS))
            .isSameAs(DiffieHellmanGroup.GROUP_16);
    }

    @Test
    void flashStyleInitiatorAgainstRequiringResponderSendsAndReceivesBoth()
    {
        final SessionKeying server = endpoint(DiffieHellmanGroup.GROUP_2.mask(), null, true);
        final SessionKeying flash = new SessionKeying(RANDOM, DiffieHellmanGroup.GROUP_2.mask(),
            new DiffieHellmanKeyPair[]{ DiffieHellmanGroup.GROUP_2.generateKeyPair(RANDOM) },
            Negotiation.SEND_ON_REQUEST, 10, Negotiation.SEND_ON_REQUEST, false, null);
        final SessionKeying.Result[] pair = run(flash, server);
        assertThat(pair[0].send().hmacLength()).isEqualTo(10);
        assertThat(pair[0].receive().hmacLength()).isEqualTo(16);
        assertThat(pair[0].send().sequenceNumbers()).isTrue();
        assertThat(pair[1].receive().hmacLength()).isEqualTo(10);
        exchange(pair[0], pair[1]);
    }

    @Test
    void responderStaysSilentWhenItsRequirementsAreNotOffered()
    {
        final SessionKeying server = endpoint(DiffieHellmanGroup.GROUP_2.mask(), null, true);
        final SessionKeying ams = new SessionKeying(RANDOM, DiffieHellmanGroup.GROUP_2.mask(), null,
            0, 16, Negotiation.REQUIRED, false, null);
        final Certificate serverCertificate = wrap(server.certificate());
        final SessionKeying.Initiation initiation = ams.initiate(serverCertificate);
        final SessionKeying.Result[] out = new SessionKeying.Result[1];
        assertThat(server.respond(wrap(ams.certificate()), initiation.skic(), out))
            .isEqualTo(SessionKeying.ERROR_HMAC_NEGOTIATION);
    }

    @Test
    void hmacLengthOutsideFourToThirtyTwoOrMissingSseqFailsKeying()
    {
        final SessionKeying server = endpoint(DiffieHellmanGroup.GROUP_2.mask(), null, true);
        final byte[] initiatorCertificate = endpoint(DiffieHellmanGroup.GROUP_2.mask(), null, false).certificate();
        final byte[] publicKey = DiffieHellmanGroup.GROUP_2.generateKeyPair(RANDOM).publicKey();
        final int[][] cases = { { 3, Negotiation.REQUIRED }, { 33, Negotiation.REQUIRED }, { 16, 0 } };
        final int[] expected = { SessionKeying.ERROR_HMAC_NEGOTIATION, SessionKeying.ERROR_HMAC_NEGOTIATION,
            SessionKeying.ERROR_SSEQ_NEGOTIATION };
        for (int c = 0; c < cases.length; c++)
        {
            final UnsafeBuffer skic = new UnsafeBuffer(new byte[300]);
            int n = KeyingComponent.encodeDhPublicKey(skic, 0, 2, publicKey);
            n += KeyingComponent.encodeHmacNegotiation(skic, n, Negotiation.REQUIRED, cases[c][0]);
            n += KeyingComponent.encodeSseqNegotiation(skic, n, cases[c][1]);
            final SessionKeying.Result[] out = new SessionKeying.Result[1];
            assertThat(server.respond(wrap(initiatorCertificate), PacketProtectionTest.bytes(skic, 0, n), out))
                .as("case %d", c).isEqualTo(expected[c]);
            assertThat(out[0]).isNull();
        }
    }

    @Test
    void publicKeyOutOfRangeIsRefusedByTheResponder()
    {
        final DiffieHellmanGroup group = DiffieHellmanGroup.GROUP_2;
        final SessionKeying server = endpoint(group.mask(), null, true);
        final BigInteger p = group.prime();
        final BigInteger[] bad = {
            BigInteger.ONE, BigInteger.ONE.shiftLeft(24).subtract(BigInteger.ONE),
            p.subtract(BigInteger.ONE), p.subtract(BigInteger.ONE.shiftLeft(24)).add(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(40).subtract(BigInteger.ONE),     // 40 one bits, no zero bits
            BigInteger.ONE.shiftLeft(900).add(BigInteger.valueOf(0x3FFF)) }; // 15 one bits
        for (final BigInteger y : bad)
        {
            final UnsafeBuffer skic = new UnsafeBuffer(new byte[400]);
            int n = KeyingComponent.encodeDhPublicKey(skic, 0, 2, DiffieHellmanGroup.minimalBytes(y));
            n += KeyingComponent.encodeHmacNegotiation(skic, n, Negotiation.REQUIRED, 16);
            n += KeyingComponent.encodeSseqNegotiation(skic, n, Negotiation.REQUIRED);
            final byte[] bytes = PacketProtectionTest.bytes(skic, 0, n);
            final SessionKeying.Result[] out = new SessionKeying.Result[1];
            assertThat(server.respond(wrap(endpoint(group.mask(), null, false).certificate()), bytes, out))
                .as("y = %s", y.toString(16)).isEqualTo(SessionKeying.ERROR_BAD_PUBLIC_KEY);
            assertThat(out[0]).isNull();
        }
    }

    @Test
    void publicKeyChecksHaveTheirOwnReasons()
    {
        final DiffieHellmanGroup group = DiffieHellmanGroup.GROUP_2;
        final BigInteger p = group.prime();
        final BigInteger min = BigInteger.ONE.shiftLeft(24);
        assertThat(group.validatePublicKey(min.subtract(BigInteger.ONE))).isEqualTo(DiffieHellmanGroup.ERROR_TOO_SMALL);
        assertThat(group.validatePublicKey(p.subtract(min).add(BigInteger.ONE)))
            .isEqualTo(DiffieHellmanGroup.ERROR_TOO_LARGE);
        assertThat(group.validatePublicKey(BigInteger.ONE.shiftLeft(100).add(BigInteger.valueOf(0xFF))))
            .isEqualTo(DiffieHellmanGroup.ERROR_TOO_FEW_ONES);
        assertThat(group.validatePublicKey(BigInteger.ONE.shiftLeft(30).subtract(BigInteger.ONE)))
            .isEqualTo(DiffieHellmanGroup.ERROR_TOO_FEW_ZEROS);
        assertThat(group.validatePublicKey(p.subtract(min))).isEqualTo(DiffieHellmanGroup.VALID);
        assertThat(DiffieHellmanGroup.GROUP_2.generateKeyPair(RANDOM).sharedSecret(BigInteger.TWO)).isNull();
    }

    @Test
    void minimalBytesStripSignAndLeadingZeros()
    {
        assertThat(DiffieHellmanGroup.minimalBytes(BigInteger.valueOf(0x80))).containsExactly(0x80);
        assertThat(DiffieHellmanGroup.minimalBytes(new BigInteger(1, new byte[]{ 0, 0, 1, 2 })))
            .containsExactly(1, 2);
        assertThat(DiffieHellmanGroup.minimalBytes(BigInteger.ZERO)).containsExactly(0);
        assertThat(DiffieHellmanGroup.GROUP_14.generateKeyPair(RANDOM).publicKey()[0]).isNotZero();
    }

    private static void handshake(final DiffieHellmanGroup group, final boolean initiatorStatic,
        final boolean responderStatic)
    {
        final SessionKeying initiator = endpoint(group.mask(),
            initiatorStatic ? new DiffieHellmanKeyPair[]{ group.generateKeyPair(RANDOM) } : null, false);
        final SessionKeying responder = endpoint(group.mask(),
            responderStatic ? new DiffieHellmanKeyPair[]{ group.generateKeyPair(RANDOM) } : null, true);
        final SessionKeying.Result[] results = run(initiator, responder);
        final SessionKeying.Result i = results[0];
        final SessionKeying.Result r = results[1];
        assertThat(i.group()).isSameAs(group);
        assertThat(r.group()).isSameAs(group);
        assertThat(i.send().aesKey()).isEqualTo(r.receive().aesKey());
        assertThat(i.send().hmacKey()).isEqualTo(r.receive().hmacKey());
        assertThat(i.receive().aesKey()).isEqualTo(r.send().aesKey());
        assertThat(i.receive().hmacKey()).isEqualTo(r.send().hmacKey());
        assertThat(i.send().aesKey()).isNotEqualTo(i.receive().aesKey());
        assertThat(i.keys().initiatorNonce()).isEqualTo(r.keys().initiatorNonce());
        assertThat(i.keys().responderNonce()).isEqualTo(r.keys().responderNonce());
        assertThat(i.send().hmacLength()).isEqualTo(16);
        assertThat(i.send().sequenceNumbers()).isTrue();
        exchange(i, r);
    }

    static SessionKeying.Result[] run(final SessionKeying initiator, final SessionKeying responder)
    {
        final Certificate responderCertificate = wrap(responder.certificate());
        assertThat(responderCertificate.acceptsAncillaryData()).isTrue();
        final SessionKeying.Initiation initiation = initiator.initiate(responderCertificate);
        final SessionKeying.Result[] r = new SessionKeying.Result[1];
        assertThat(responder.respond(wrap(initiator.certificate()), initiation.skic(), r)).isZero();
        final SessionKeying.Result[] i = new SessionKeying.Result[1];
        assertThat(initiation.complete(responderCertificate, r[0].component(), i)).isZero();
        return new SessionKeying.Result[]{ i[0], r[0] };
    }

    static void exchange(final SessionKeying.Result initiator, final SessionKeying.Result responder)
    {
        final PacketProtection a = initiator.protection();
        final PacketProtection b = responder.protection();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[300]);
        for (int k = 0; k < 3; k++)
        {
            assertThat(b.decrypt(buffer, 0, PacketProtectionTest.seal(a, buffer, 50 + k))).isGreaterThanOrEqualTo(50);
            assertThat(a.decrypt(buffer, 0, PacketProtectionTest.seal(b, buffer, 70 + k))).isGreaterThanOrEqualTo(70);
        }
    }

    private static SessionKeying endpoint(final long groups, final DiffieHellmanKeyPair[] staticKeys,
        final boolean server)
    {
        return new SessionKeying(RANDOM, groups, staticKeys, Negotiation.REQUIRED, 16, Negotiation.REQUIRED,
            server, null);
    }

    static Certificate wrap(final byte[] bytes)
    {
        final Certificate certificate = new Certificate();
        assertThat(certificate.wrap(new UnsafeBuffer(bytes), 0, bytes.length)).isEqualTo(Certificate.OK);
        return certificate;
    }
}
