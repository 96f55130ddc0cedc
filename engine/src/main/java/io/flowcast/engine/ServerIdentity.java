package io.flowcast.engine;

import io.flowcast.config.CryptoConfig;
import io.flowcast.config.FlowcastConfig;
import io.flowcast.config.IdentityKeyFile;
import io.flowcast.crypto.DiffieHellmanGroup;
import io.flowcast.crypto.Negotiation;
import io.flowcast.crypto.SessionKeying;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The server's RFC 7425 identity: its certificate, and so its fingerprint (peer ID). The server keys sessions with
 * ephemeral Diffie-Hellman, as the reference server does, so the certificate's only secret-bearing part is its Extra
 * Randomness: those 64 bytes come from the identity key file (created once, mode 0600), which makes the fingerprint
 * survive restarts. The certificate also lists the configured DH groups, so changing {@code crypto.dh-groups}
 * changes the fingerprint too.
 */
public final class ServerIdentity
{
    private final Path keyFile;
    private final SessionKeying keying;
    private final byte[] fingerprint;

    private ServerIdentity(final Path keyFile, final SessionKeying keying)
    {
        this.keyFile = keyFile;
        this.keying = keying;
        this.fingerprint = keying.fingerprint();
    }

    /**
     * Load the identity key file named by the configuration, creating it on first use.
     *
     * @param config the server configuration.
     * @param random randomness for a new key file and for session keys.
     * @return the identity.
     * @throws IdentityKeyFile.IdentityKeyException naming the file and the fix when it is unsafe or damaged.
     */
    public static ServerIdentity loadOrCreate(final FlowcastConfig config, final SecureRandom random)
    {
        final Path keyFile = config.identity().keyFile();
        final byte[] seed = IdentityKeyFile.loadOrCreate(keyFile, random);
        final CryptoConfig crypto = config.crypto();
        long groups = 0;
        for (final int group : crypto.dhGroups())
        {
            groups |= 1L << group;
        }
        final SessionKeying keying = new SessionKeying(
            random,
            groups & DiffieHellmanGroup.ALL_GROUPS,
            null,
            negotiationFlags(crypto.hmac()),
            crypto.hmacLength(),
            negotiationFlags(crypto.sessionSequenceNumbers()),
            true,
            null,
            seed);
        return new ServerIdentity(keyFile, keying);
    }

    /**
     * @param negotiation a configured policy.
     * @return the RFC 7425 negotiation flags a responder sends for it (notes §4.10).
     */
    public static int negotiationFlags(final io.flowcast.config.Negotiation negotiation)
    {
        switch (negotiation)
        {
            case REQUIRED:
                return Negotiation.REQUIRED;
            case ON_REQUEST:
                return Negotiation.ON_REQUEST;
            default:
                return 0;
        }
    }

    /**
     * @return the keying side that carries the certificate.
     */
    public SessionKeying keying()
    {
        return keying;
    }

    /**
     * @return the 32-byte fingerprint (a copy).
     */
    public byte[] fingerprint()
    {
        return fingerprint.clone();
    }

    /**
     * @return the fingerprint in lower-case hex, as peer IDs are usually shown.
     */
    public String fingerprintHex()
    {
        return HexFormat.of().formatHex(fingerprint);
    }

    /**
     * @return the identity key file.
     */
    public Path keyFile()
    {
        return keyFile;
    }
}
