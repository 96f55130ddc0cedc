package io.flowcast.crypto;

import org.agrona.concurrent.UnsafeBuffer;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * One endpoint's side of RFC 7425 session keying (notes §4.8–§4.11, §4.15): its certificate, and the SKIC / SKRC
 * it builds; from the far component it negotiates HMAC and sequence numbers, picks the DH group and the far public
 * key (from the far certificate when static, from the component when ephemeral), checks it (§4.6.2), computes the
 * shared secret and derives the keys. Endpoints with static keys put them in the certificate (unforgeable
 * fingerprint, clients by default); the others offer ephemeral groups and send a fresh key per session (servers).
 * Handshake-time code: allocates, not for the packet path.
 */
public final class SessionKeying
{
    /** No DH group in common. */
    public static final int ERROR_NO_COMMON_GROUP = -1;
    /** The far public key is missing or malformed. */
    public static final int ERROR_MISSING_PUBLIC_KEY = -2;
    /** The far public key fails §4.6.2. */
    public static final int ERROR_BAD_PUBLIC_KEY = -3;
    /** HMAC negotiation failed, or the far HMAC length is outside 4..32. */
    public static final int ERROR_HMAC_NEGOTIATION = -4;
    /** Sequence number negotiation failed. */
    public static final int ERROR_SSEQ_NEGOTIATION = -5;
    /** The far component or certificate is malformed. */
    public static final int ERROR_MALFORMED = -6;

    /** Extra Randomness length used in certificates and components. */
    public static final int EXTRA_RANDOMNESS_LENGTH = 64;

    private final SecureRandom random;
    private final long groups;
    private final DiffieHellmanKeyPair[] staticKeys;
    private final int hmacFlags;
    private final int hmacLength;
    private final int sseqFlags;
    private final byte[] certificate;

    /**
     * The outcome of keying: derived keys, the negotiated framing of both directions, and (responder) the SKRC.
     */
    public static final class Result
    {
        private final SessionKeys keys;
        private final DirectionKeys send;
        private final DirectionKeys receive;
        private final byte[] component;
        private final DiffieHellmanGroup group;

        Result(final SessionKeys keys, final DirectionKeys send, final DirectionKeys receive,
            final byte[] component, final DiffieHellmanGroup group)
        {
            this.keys = keys;
            this.send = send;
            this.receive = receive;
            this.component = component;
            this.group = group;
        }

        /**
         * @return derived keys and nonces.
         */
        public SessionKeys keys()
        {
            return keys;
        }

        /**
         * @return protection of what this end sends.
         */
        public DirectionKeys send()
        {
            return send;
        }

        /**
         * @return protection of what this end receives.
         */
        public DirectionKeys receive()
        {
            return receive;
        }

        /**
         * @return packet protection for the session.
         */
        public PacketProtection protection()
        {
            return new PacketProtection(send, receive);
        }

        /**
         * @return the SKRC to send in RIKeying (responder), or the SKIC that was sent (initiator).
         */
        public byte[] component()
        {
            return component.clone();
        }

        /**
         * @return the DH group used.
         */
        public DiffieHellmanGroup group()
        {
            return group;
        }
    }

    /**
     * @param random     randomness for keys and Extra Randomness.
     * @param groups     mask of the DH groups this end accepts (bit n = group n), e.g.
     *                   {@link DiffieHellmanGroup#ALL_GROUPS}.
     * @param staticKeys static key pairs to put in the certificate (strongest first), or null for ephemeral keys.
     * @param hmacFlags  HMAC policy, {@link Negotiation} flags ({@link Negotiation#REQUIRED} by default).
     * @param hmacLength HMAC length this end sends, 4..32.
     * @param sseqFlags  sequence number policy, {@link Negotiation} flags.
     * @param server     true to set Accepts Ancillary Data (reachable by URI).
     * @param hostname   optional Hostname option, or null.
     */
    public SessionKeying(
        final SecureRandom random,
        final long groups,
        final DiffieHellmanKeyPair[] staticKeys,
        final int hmacFlags,
        final int hmacLength,
        final int sseqFlags,
        final boolean server,
        final byte[] hostname)
    {
        this(random, groups, staticKeys, hmacFlags, hmacLength, sseqFlags, server, hostname, null);
    }

    /**
     * @param random                randomness for keys and Extra Randomness.
     * @param groups                mask of the DH groups this end accepts (bit n = group n).
     * @param staticKeys            static key pairs to put in the certificate, or null for ephemeral keys.
     * @param hmacFlags             HMAC policy, {@link Negotiation} flags.
     * @param hmacLength            HMAC length this end sends, 4..32.
     * @param sseqFlags             sequence number policy, {@link Negotiation} flags.
     * @param server                true to set Accepts Ancillary Data (reachable by URI).
     * @param hostname              optional Hostname option, or null.
     * @param certificateRandomness the certificate's Extra Randomness (an ephemeral-keyed server's persistent
     *                              identity, so its fingerprint survives restarts), or null for fresh randomness.
     */
    public SessionKeying(
        final SecureRandom random,
        final long groups,
        final DiffieHellmanKeyPair[] staticKeys,
        final int hmacFlags,
        final int hmacLength,
        final int sseqFlags,
        final boolean server,
        final byte[] hostname,
        final byte[] certificateRandomness)
    {
        if (hmacLength < DirectionKeys.MIN_HMAC_LENGTH || hmacLength > DirectionKeys.MAX_HMAC_LENGTH)
        {
            throw new IllegalArgumentException("HMAC length must be 4..32, got " + hmacLength);
        }
        if (null != certificateRandomness && certificateRandomness.length == 0)
        {
            throw new IllegalArgumentException("certificate randomness must not be empty");
        }
        this.random = random;
        this.staticKeys = null == staticKeys ? null : staticKeys.clone();
        this.hmacFlags = hmacFlags;
        this.hmacLength = hmacLength;
        this.sseqFlags = sseqFlags;
        long mask = groups & DiffieHellmanGroup.ALL_GROUPS;
        if (null != staticKeys)
        {
            mask = 0;
            for (final DiffieHellmanKeyPair pair : staticKeys)
            {
                mask |= pair.group().mask();
            }
        }
        this.groups = mask;
        this.certificate = encodeCertificate(
            server, hostname, null == certificateRandomness ? randomBytes() : certificateRandomness.clone());
    }
    /**
     * A server as the reference runs one: ephemeral keys for every group, Accepts Ancillary Data, HMAC (16 bytes)
     * and sequence numbers required both ways.
     *
     * @param random randomness.
     * @return the keying side.
     */
    public static SessionKeying server(final SecureRandom random)
    {
        return new SessionKeying(random, DiffieHellmanGroup.ALL_GROUPS, null, Negotiation.REQUIRED,
            DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, true, null);
    }

    /**
     * A client with static keys (unforgeable peer ID, §4.3.4), HMAC and sequence numbers required both ways.
     *
     * @param random     randomness.
     * @param staticKeys its static key pairs, strongest first (group 2 needed for Flash-era servers).
     * @return the keying side.
     */
    public static SessionKeying client(final SecureRandom random, final DiffieHellmanKeyPair... staticKeys)
    {
        return new SessionKeying(random, DiffieHellmanGroup.ALL_GROUPS, staticKeys, Negotiation.REQUIRED,
            DirectionKeys.DEFAULT_HMAC_LENGTH, Negotiation.REQUIRED, false, null);
    }

    /**
     * @return this end's certificate (a copy).
     */
    public byte[] certificate()
    {
        return certificate.clone();
    }

    /**
     * @return SHA-256 fingerprint of this end's certificate: its peer ID.
     */
    public byte[] fingerprint()
    {
        final Certificate parsed = new Certificate();
        parsed.wrap(new UnsafeBuffer(certificate), 0, certificate.length);
        return parsed.fingerprint();
    }

    /**
     * Initiator, on RHello: build the SKIC for the responder's certificate.
     *
     * @param responderCertificate the responder's certificate, wrapped.
     * @return pending initiator state holding the SKIC to send, or null when there is no common group.
     */
    public Initiation initiate(final Certificate responderCertificate)
    {
        final DiffieHellmanGroup group = DiffieHellmanGroup.strongestCommon(groups, responderCertificate.groupMask());
        if (null == group)
        {
            return null;
        }
        final UnsafeBuffer out = new UnsafeBuffer(new byte[64 + 2 * group.primeLength()]);
        int n = 0;
        DiffieHellmanKeyPair pair = staticKey(group);
        if (null != pair)
        {
            n += KeyingComponent.encodeGroupSelect(out, n, group.id());
            n += KeyingComponent.encodeExtraRandomness(out, n, randomBytes());
        }
        else
        {
            pair = group.generateKeyPair(random);
            n += KeyingComponent.encodeDhPublicKey(out, n, group.id(), pair.publicKey());
        }
        n += KeyingComponent.encodeHmacNegotiation(out, n, hmacFlags, hmacLength);
        n += KeyingComponent.encodeSseqNegotiation(out, n, sseqFlags);
        final byte[] skic = new byte[n];
        out.getBytes(0, skic);
        return new Initiation(group, pair, skic);
    }

    /**
     * Pending initiator state between IIKeying and RIKeying.
     */
    public final class Initiation
    {
        private final DiffieHellmanGroup group;
        private final DiffieHellmanKeyPair pair;
        private final byte[] skic;

        Initiation(final DiffieHellmanGroup group, final DiffieHellmanKeyPair pair, final byte[] skic)
        {
            this.group = group;
            this.pair = pair;
            this.skic = skic;
        }

        /**
         * @return the SKIC to send in IIKeying (a copy).
         */
        public byte[] skic()
        {
            return skic.clone();
        }

        /**
         * @return the chosen group.
         */
        public DiffieHellmanGroup group()
        {
            return group;
        }

        /**
         * Initiator, on RIKeying: negotiate and derive.
         *
         * @param responderCertificate the responder's certificate, wrapped.
         * @param skrc                 the SKRC as carried.
         * @param resultOrError        receives the result at index 0.
         * @return 0 on success or a negative error code.
         */
        public int complete(final Certificate responderCertificate, final byte[] skrc, final Result[] resultOrError)
        {
            final KeyingComponent component = new KeyingComponent();
            if (KeyingComponent.OK != component.wrap(new UnsafeBuffer(skrc), 0, skrc.length))
            {
                return ERROR_MALFORMED;
            }
            final BigInteger farPublic;
            if (responderCertificate.isStatic())
            {
                farPublic = responderCertificate.staticPublicNumber(group.id());
            }
            else
            {
                farPublic = component.dhGroup() == group.id() ? component.publicNumber() : null;
            }
            return finish(group, pair, farPublic, component, skic, skrc, true, resultOrError);
        }
    }

    /**
     * Responder, on IIKeying with a valid cookie: negotiate, build the SKRC and derive.
     *
     * @param initiatorCertificate the initiator's certificate, wrapped.
     * @param skic                 the SKIC as carried.
     * @param resultOrError        receives the result (with the SKRC to send) at index 0.
     * @return 0 on success, or a negative error code (then stay silent, §4.8).
     */
    public int respond(final Certificate initiatorCertificate, final byte[] skic, final Result[] resultOrError)
    {
        final KeyingComponent component = new KeyingComponent();
        if (KeyingComponent.OK != component.wrap(new UnsafeBuffer(skic), 0, skic.length))
        {
            return ERROR_MALFORMED;
        }
        // Cheap failures first: negotiation, then the group.
        final int hmac = Negotiation.negotiate(hmacFlags, component.hmacFlags());
        final int sseq = Negotiation.negotiate(sseqFlags, component.sseqFlags());
        if (hmac < 0)
        {
            return ERROR_HMAC_NEGOTIATION;
        }
        if (sseq < 0)
        {
            return ERROR_SSEQ_NEGOTIATION;
        }
        final boolean initiatorStatic = component.groupSelect() >= 0;
        final long groupId = initiatorStatic ? component.groupSelect() : component.dhGroup();
        final DiffieHellmanGroup group = DiffieHellmanGroup.byId(groupId);
        if (null == group || 0 == (groups & group.mask()))
        {
            return ERROR_NO_COMMON_GROUP;
        }
        final BigInteger farPublic = initiatorStatic ?
            initiatorCertificate.staticPublicNumber(groupId) : component.publicNumber();

        final UnsafeBuffer out = new UnsafeBuffer(new byte[64 + 2 * group.primeLength()]);
        int n = KeyingComponent.encodeSseqNegotiation(out, 0, Negotiation.responderFlags(sseqFlags, sseq));
        n += KeyingComponent.encodeHmacNegotiation(out, n, Negotiation.responderFlags(hmacFlags, hmac), hmacLength);
        DiffieHellmanKeyPair pair = staticKey(group);
        if (null != pair)
        {
            n += KeyingComponent.encodeExtraRandomness(out, n, randomBytes());
        }
        else
        {
            pair = group.generateKeyPair(random);
            n += KeyingComponent.encodeDhPublicKey(out, n, group.id(), pair.publicKey());
        }
        final byte[] skrc = new byte[n];
        out.getBytes(0, skrc);
        return finish(group, pair, farPublic, component, skic, skrc, false, resultOrError);
    }

    private int finish(
        final DiffieHellmanGroup group,
        final DiffieHellmanKeyPair pair,
        final BigInteger farPublic,
        final KeyingComponent far,
        final byte[] skic,
        final byte[] skrc,
        final boolean initiator,
        final Result[] resultOrError)
    {
        final int hmac = Negotiation.negotiate(hmacFlags, far.hmacFlags());
        final int sseq = Negotiation.negotiate(sseqFlags, far.sseqFlags());
        if (hmac < 0)
        {
            return ERROR_HMAC_NEGOTIATION;
        }
        if (sseq < 0)
        {
            return ERROR_SSEQ_NEGOTIATION;
        }
        final boolean receiveHmac = (hmac & Negotiation.RECEIVE) != 0;
        if (receiveHmac && (far.hmacLength() < DirectionKeys.MIN_HMAC_LENGTH ||
            far.hmacLength() > DirectionKeys.MAX_HMAC_LENGTH))
        {
            return ERROR_HMAC_NEGOTIATION;
        }
        if (null == farPublic)
        {
            return ERROR_MISSING_PUBLIC_KEY;
        }
        if (DiffieHellmanGroup.VALID != group.validatePublicKey(farPublic))
        {
            return ERROR_BAD_PUBLIC_KEY;
        }
        final SessionKeys keys = SessionKeys.derive(pair.sharedSecret(farPublic), skic, skrc);
        final int sendHmac = (hmac & Negotiation.SEND) != 0 ? hmacLength : 0;
        final int receiveHmacLength = receiveHmac ? (int)far.hmacLength() : 0;
        final boolean sendSseq = (sseq & Negotiation.SEND) != 0;
        final boolean receiveSseq = (sseq & Negotiation.RECEIVE) != 0;
        final DirectionKeys send = initiator ? keys.i2r(sendHmac, sendSseq) : keys.r2i(sendHmac, sendSseq);
        final DirectionKeys receive = initiator ?
            keys.r2i(receiveHmacLength, receiveSseq) : keys.i2r(receiveHmacLength, receiveSseq);
        resultOrError[0] = new Result(keys, send, receive, initiator ? skic : skrc, group);
        return 0;
    }

    private DiffieHellmanKeyPair staticKey(final DiffieHellmanGroup group)
    {
        if (null != staticKeys)
        {
            for (final DiffieHellmanKeyPair pair : staticKeys)
            {
                if (pair.group() == group)
                {
                    return pair;
                }
            }
        }
        return null;
    }

    private byte[] randomBytes()
    {
        final byte[] bytes = new byte[EXTRA_RANDOMNESS_LENGTH];
        random.nextBytes(bytes);
        return bytes;
    }

    private byte[] encodeCertificate(final boolean server, final byte[] hostname, final byte[] extraRandomness)
    {
        int capacity = 64 + extraRandomness.length + (null == hostname ? 0 : hostname.length);
        if (null != staticKeys)
        {
            for (final DiffieHellmanKeyPair pair : staticKeys)
            {
                capacity += 8 + pair.group().primeLength();
            }
        }
        final UnsafeBuffer out = new UnsafeBuffer(new byte[capacity]);
        int n = 0;
        if (server)
        {
            n += Certificate.encodeAcceptsAncillaryData(out, n);
        }
        if (null != hostname)
        {
            n += Certificate.encodeHostname(out, n, hostname);
        }
        if (null != staticKeys)
        {
            for (final DiffieHellmanKeyPair pair : staticKeys)
            {
                n += Certificate.encodeStaticKey(out, n, pair);
            }
        }
        else
        {
            for (final int id : new int[]{ 16, 14, 5, 2 })
            {
                if ((groups & (1L << id)) != 0)
                {
                    n += Certificate.encodeEphemeralGroup(out, n, id);
                }
            }
            n += Certificate.encodeExtraRandomness(out, n, extraRandomness);
        }
        final byte[] bytes = new byte[n];
        out.getBytes(0, bytes);
        return bytes;
    }
}
