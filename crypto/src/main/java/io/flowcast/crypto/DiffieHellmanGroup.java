package io.flowcast.crypto;

import org.bouncycastle.crypto.agreement.DHStandardGroups;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The MODP Diffie-Hellman groups of the profile (notes §4.9), IKE numbering, generator 2: group 2 (1024-bit,
 * RFC 2409 §6.2, mandatory), 5 (1536-bit), 14 (2048-bit) and 16 (4096-bit) of RFC 3526. Primes come from
 * BouncyCastle's {@link DHStandardGroups}; modular exponentiation is {@link BigInteger#modPow} (HotSpot's Montgomery
 * intrinsics), chosen by measurement (see README).
 */
public final class DiffieHellmanGroup
{
    /** §4.6.2: valid public key. */
    public static final int VALID = 0;
    /** §4.6.2: y &lt; 2^24. */
    public static final int ERROR_TOO_SMALL = -1;
    /** §4.6.2: y &gt; p - 2^24. */
    public static final int ERROR_TOO_LARGE = -2;
    /** §4.6.2: fewer than 16 one bits. */
    public static final int ERROR_TOO_FEW_ONES = -3;
    /** §4.6.2: fewer than 16 zero bits (leading zeros not counted). */
    public static final int ERROR_TOO_FEW_ZEROS = -4;

    private static final BigInteger TWO = BigInteger.valueOf(2);
    private static final BigInteger MIN_PUBLIC = BigInteger.ONE.shiftLeft(24);
    private static final int MIN_BITS_EACH = 16;

    /** 1024-bit MODP, the only group Flash Player uses. */
    public static final DiffieHellmanGroup GROUP_2 = new DiffieHellmanGroup(2, DHStandardGroups.rfc2409_1024.getP(), 224);
    /** 1536-bit MODP. */
    public static final DiffieHellmanGroup GROUP_5 = new DiffieHellmanGroup(5, DHStandardGroups.rfc3526_1536.getP(), 256);
    /** 2048-bit MODP. */
    public static final DiffieHellmanGroup GROUP_14 = new DiffieHellmanGroup(14, DHStandardGroups.rfc3526_2048.getP(), 320);
    /** 4096-bit MODP. */
    public static final DiffieHellmanGroup GROUP_16 = new DiffieHellmanGroup(16, DHStandardGroups.rfc3526_4096.getP(), 480);

    /** Every supported group, strongest first: the preference order. */
    private static final DiffieHellmanGroup[] STRONGEST_FIRST = { GROUP_16, GROUP_14, GROUP_5, GROUP_2 };

    /** Bit mask of every supported group ID (bit n = group n). */
    public static final long ALL_GROUPS = (1L << 2) | (1L << 5) | (1L << 14) | (1L << 16);

    private final int id;
    private final BigInteger prime;
    private final BigInteger maxPublic;
    private final int privateBits;
    private final int primeLength;

    private DiffieHellmanGroup(final int id, final BigInteger prime, final int privateBits)
    {
        this.id = id;
        this.prime = prime;
        this.maxPublic = prime.subtract(MIN_PUBLIC);
        this.privateBits = privateBits;
        this.primeLength = (prime.bitLength() + 7) / 8;
    }

    /**
     * @param id IKE group number.
     * @return the group, or null when not supported.
     */
    public static DiffieHellmanGroup byId(final long id)
    {
        for (final DiffieHellmanGroup group : STRONGEST_FIRST)
        {
            if (group.id == id)
            {
                return group;
            }
        }
        return null;
    }

    /**
     * Choose the strongest group both ends support.
     *
     * @param nearGroups bit mask of groups this end accepts (bit n = group n).
     * @param farGroups  bit mask of groups the far end offers.
     * @return the group, or null when they share none.
     */
    public static DiffieHellmanGroup strongestCommon(final long nearGroups, final long farGroups)
    {
        final long common = nearGroups & farGroups;
        for (final DiffieHellmanGroup group : STRONGEST_FIRST)
        {
            if ((common & group.mask()) != 0)
            {
                return group;
            }
        }
        return null;
    }

    /**
     * @return the IKE group number.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return this group's bit in a group mask.
     */
    public long mask()
    {
        return 1L << id;
    }

    /**
     * @return the prime modulus p.
     */
    public BigInteger prime()
    {
        return prime;
    }

    /**
     * @return bytes of p, the longest public key or shared secret.
     */
    public int primeLength()
    {
        return primeLength;
    }

    /**
     * @return random bits in a private exponent (top bit set), per RFC 3526 §8 strengths.
     */
    public int privateBits()
    {
        return privateBits;
    }

    /**
     * @param random source of the private exponent.
     * @return a fresh key pair (ephemeral, or kept as a static key).
     */
    public DiffieHellmanKeyPair generateKeyPair(final SecureRandom random)
    {
        while (true)
        {
            final BigInteger x = new BigInteger(privateBits, random).setBit(privateBits - 1);
            final BigInteger y = TWO.modPow(x, prime);
            if (VALID == validatePublicKey(y))
            {
                return new DiffieHellmanKeyPair(this, x, y);
            }
        }
    }

    /**
     * §4.6.2 checks on a far public key.
     *
     * @param y the public number.
     * @return {@link #VALID} or the reason it is refused.
     */
    public int validatePublicKey(final BigInteger y)
    {
        if (y.compareTo(MIN_PUBLIC) < 0)
        {
            return ERROR_TOO_SMALL;
        }
        if (y.compareTo(maxPublic) > 0)
        {
            return ERROR_TOO_LARGE;
        }
        final int ones = y.bitCount();
        if (ones < MIN_BITS_EACH)
        {
            return ERROR_TOO_FEW_ONES;
        }
        if (y.bitLength() - ones < MIN_BITS_EACH)
        {
            return ERROR_TOO_FEW_ZEROS;
        }
        return VALID;
    }

    /**
     * @param bytes  public key bytes as carried: unsigned big-endian, any length.
     * @param offset of the first.
     * @param length number of bytes.
     * @return the number.
     */
    public static BigInteger publicNumber(final byte[] bytes, final int offset, final int length)
    {
        return new BigInteger(1, bytes, offset, length);
    }

    /**
     * @param value non-negative number.
     * @return unsigned big-endian bytes without leading zeros (§4.9: public keys and the shared secret).
     */
    public static byte[] minimalBytes(final BigInteger value)
    {
        final byte[] bytes = value.toByteArray();
        int zeros = 0;
        while (zeros < bytes.length - 1 && 0 == bytes[zeros])
        {
            zeros++;
        }
        return 0 == zeros ? bytes : java.util.Arrays.copyOfRange(bytes, zeros, bytes.length);
    }

    public String toString()
    {
        return "DH group " + id + " (" + prime.bitLength() + "-bit MODP)";
    }
}
