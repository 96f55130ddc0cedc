package io.flowcast.crypto;

import java.math.BigInteger;

/**
 * A Diffie-Hellman key pair in one {@link DiffieHellmanGroup}: ephemeral (per session, carried in a keying
 * component, option 0x0D) or static (kept, carried in the certificate, option 0x1D).
 */
public final class DiffieHellmanKeyPair
{
    private final DiffieHellmanGroup group;
    private final BigInteger privateExponent;
    private final BigInteger publicNumber;
    private final byte[] publicKey;

    /**
     * @param group           the group.
     * @param privateExponent x.
     * @param publicNumber    g^x mod p.
     */
    public DiffieHellmanKeyPair(final DiffieHellmanGroup group, final BigInteger privateExponent,
        final BigInteger publicNumber)
    {
        this.group = group;
        this.privateExponent = privateExponent;
        this.publicNumber = publicNumber;
        this.publicKey = DiffieHellmanGroup.minimalBytes(publicNumber);
    }

    /**
     * @param group           the group.
     * @param privateExponent x, e.g. a stored static key.
     * @return the pair with its public number computed.
     */
    public static DiffieHellmanKeyPair fromPrivate(final DiffieHellmanGroup group, final BigInteger privateExponent)
    {
        return new DiffieHellmanKeyPair(group, privateExponent, BigInteger.TWO.modPow(privateExponent, group.prime()));
    }

    /**
     * @return the group.
     */
    public DiffieHellmanGroup group()
    {
        return group;
    }

    /**
     * @return the private exponent x.
     */
    public BigInteger privateExponent()
    {
        return privateExponent;
    }

    /**
     * @return the public number y = g^x mod p.
     */
    public BigInteger publicNumber()
    {
        return publicNumber;
    }

    /**
     * @return the public key as sent: unsigned big-endian, no leading zero bytes (a copy).
     */
    public byte[] publicKey()
    {
        return publicKey.clone();
    }

    /**
     * @param farPublic the far end's public number, already checked with
     *                  {@link DiffieHellmanGroup#validatePublicKey(BigInteger)}.
     * @return the shared secret, unsigned big-endian without leading zero bytes (§4.9), or null when the far key
     * fails the §4.6.2 checks.
     */
    public byte[] sharedSecret(final BigInteger farPublic)
    {
        if (DiffieHellmanGroup.VALID != group.validatePublicKey(farPublic))
        {
            return null;
        }
        return DiffieHellmanGroup.minimalBytes(farPublic.modPow(privateExponent, group.prime()));
    }
}
