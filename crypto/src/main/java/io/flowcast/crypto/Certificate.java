package io.flowcast.crypto;

import io.flowcast.codec.OptionFlyweight;
import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * An endpoint certificate (notes §4.6, RFC 7425 §4.3): an option list of Hostname (0x00), Accepts Ancillary Data
 * (0x0A), Extra Randomness (0x0E), Supported Ephemeral DH Group (0x15) and Static DH Public Key (0x1D). Options
 * before the first Marker are the canonical part (the Marker byte included, as the reference does); options after
 * it are ignored. The fingerprint, i.e. the peer ID, is SHA-256 of the canonical part (§4.3.2). A certificate must
 * offer ephemeral groups or static keys, not both and not neither. Parsed in place; reuse one instance.
 */
public final class Certificate
{
    /** Option type: Hostname. */
    public static final int HOSTNAME = 0x00;
    /** Option type: Accepts Ancillary Data (marks a server). */
    public static final int ACCEPTS_ANCILLARY_DATA = 0x0A;
    /** Option type: Extra Randomness. */
    public static final int EXTRA_RANDOMNESS = 0x0E;
    /** Option type: Supported Ephemeral DH Group, VLU group. */
    public static final int SUPPORTED_EPHEMERAL_GROUP = 0x15;
    /** Option type: Static DH Public Key, VLU group then key (§4.3.3.5). */
    public static final int STATIC_DH_PUBLIC_KEY = 0x1D;

    /** Bytes of a fingerprint. */
    public static final int FINGERPRINT_LENGTH = 32;
    /** Most groups recorded per kind; further ones are ignored. */
    public static final int MAX_GROUPS = 8;

    /** {@link #wrap}: parsed and well formed. */
    public static final int OK = 0;
    /** {@link #wrap}: malformed option list or option value. */
    public static final int ERROR_MALFORMED = -1;
    /** {@link #wrap}: neither ephemeral groups nor static keys. */
    public static final int ERROR_NO_GROUPS = -2;
    /** {@link #wrap}: both ephemeral groups and static keys. */
    public static final int ERROR_STATIC_AND_EPHEMERAL = -3;

    private final OptionFlyweight options = new OptionFlyweight();
    private final long[] ephemeralGroups = new long[MAX_GROUPS];
    private final long[] staticGroups = new long[MAX_GROUPS];
    private final int[] staticKeyOffsets = new int[MAX_GROUPS];
    private final int[] staticKeyLengths = new int[MAX_GROUPS];
    private MessageDigest sha256;

    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int canonicalLength;
    private int hostnameOffset;
    private int hostnameLength;
    private boolean acceptsAncillaryData;
    private int extraRandomnessOffset;
    private int extraRandomnessLength;
    private int ephemeralCount;
    private int staticCount;

    /**
     * @param buffer holding the certificate.
     * @param offset of its first byte.
     * @param length of the certificate.
     * @return {@link #OK} or a negative error code.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        canonicalLength = 0;
        hostnameOffset = -1;
        hostnameLength = 0;
        acceptsAncillaryData = false;
        extraRandomnessOffset = -1;
        extraRandomnessLength = 0;
        ephemeralCount = 0;
        staticCount = 0;
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            return ERROR_MALFORMED;
        }

        options.wrap(buffer, offset, offset + length, OptionFlyweight.MARKER_ENDS);
        int rc;
        while (OptionFlyweight.OPTION == (rc = options.next()))
        {
            final int value = options.valueOffset();
            final int limit = value + options.valueLength();
            final long type = options.type();
            if (HOSTNAME == type)
            {
                hostnameOffset = value;
                hostnameLength = limit - value;
            }
            else if (ACCEPTS_ANCILLARY_DATA == type)
            {
                acceptsAncillaryData = true;
            }
            else if (EXTRA_RANDOMNESS == type)
            {
                extraRandomnessOffset = value;
                extraRandomnessLength = limit - value;
            }
            else if (SUPPORTED_EPHEMERAL_GROUP == type || STATIC_DH_PUBLIC_KEY == type)
            {
                final int groupLength = Vlu.length(buffer, value, limit);
                if (groupLength < 0)
                {
                    return ERROR_MALFORMED;
                }
                final long group = Vlu.value(buffer, value);
                if (SUPPORTED_EPHEMERAL_GROUP == type)
                {
                    if (ephemeralCount < MAX_GROUPS)
                    {
                        ephemeralGroups[ephemeralCount++] = group;
                    }
                }
                else if (staticCount < MAX_GROUPS)
                {
                    staticGroups[staticCount] = group;
                    staticKeyOffsets[staticCount] = value + groupLength;
                    staticKeyLengths[staticCount++] = limit - value - groupLength;
                }
            }
        }
        if (rc < 0)
        {
            return ERROR_MALFORMED;
        }
        canonicalLength = options.position() - offset;
        if (0 == ephemeralCount && 0 == staticCount)
        {
            return ERROR_NO_GROUPS;
        }
        if (0 != ephemeralCount && 0 != staticCount)
        {
            return ERROR_STATIC_AND_EPHEMERAL;
        }
        return OK;
    }

    /**
     * @return the buffer the certificate was wrapped over.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return offset of the certificate.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return length of the whole certificate.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return bytes of the canonical part (through the first Marker, or everything).
     */
    public int canonicalLength()
    {
        return canonicalLength;
    }

    /**
     * @return true when the certificate has Accepts Ancillary Data (a server).
     */
    public boolean acceptsAncillaryData()
    {
        return acceptsAncillaryData;
    }

    /**
     * @return offset of the Hostname value, -1 when absent.
     */
    public int hostnameOffset()
    {
        return hostnameOffset;
    }

    /**
     * @return length of the Hostname value.
     */
    public int hostnameLength()
    {
        return hostnameLength;
    }

    /**
     * @return offset of the Extra Randomness value, -1 when absent.
     */
    public int extraRandomnessOffset()
    {
        return extraRandomnessOffset;
    }

    /**
     * @return length of the Extra Randomness value.
     */
    public int extraRandomnessLength()
    {
        return extraRandomnessLength;
    }

    /**
     * @return true when the certificate carries static DH keys (else it lists ephemeral groups).
     */
    public boolean isStatic()
    {
        return 0 != staticCount;
    }

    /**
     * @return the groups offered (ephemeral or static), as a mask: bit n = group n (groups above 63 ignored).
     */
    public long groupMask()
    {
        long mask = 0;
        final long[] groups = isStatic() ? staticGroups : ephemeralGroups;
        final int count = isStatic() ? staticCount : ephemeralCount;
        for (int i = 0; i < count; i++)
        {
            if (groups[i] >= 0 && groups[i] < 64)
            {
                mask |= 1L << groups[i];
            }
        }
        return mask;
    }

    /**
     * @return number of Supported Ephemeral DH Group options recorded.
     */
    public int ephemeralGroupCount()
    {
        return ephemeralCount;
    }

    /**
     * @param index 0..{@link #ephemeralGroupCount()}-1, in the certificate's order.
     * @return the group.
     */
    public long ephemeralGroup(final int index)
    {
        return ephemeralGroups[index];
    }

    /**
     * @param group DH group.
     * @return index of its static key, or -1 when the certificate has none for it.
     */
    public int staticKeyIndex(final long group)
    {
        for (int i = 0; i < staticCount; i++)
        {
            if (staticGroups[i] == group)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @param index from {@link #staticKeyIndex(long)}.
     * @return offset of the static public key bytes.
     */
    public int staticKeyOffset(final int index)
    {
        return staticKeyOffsets[index];
    }

    /**
     * @param index from {@link #staticKeyIndex(long)}.
     * @return length of the static public key bytes.
     */
    public int staticKeyLength(final int index)
    {
        return staticKeyLengths[index];
    }

    /**
     * @param group DH group.
     * @return the static public number for the group, or null when absent.
     */
    public java.math.BigInteger staticPublicNumber(final long group)
    {
        final int index = staticKeyIndex(group);
        if (index < 0)
        {
            return null;
        }
        final byte[] key = new byte[staticKeyLengths[index]];
        buffer.getBytes(staticKeyOffsets[index], key);
        return DiffieHellmanGroup.publicNumber(key, 0, key.length);
    }

    /**
     * Compute the fingerprint (§4.3.2): SHA-256 of the canonical part.
     *
     * @param out    receives {@link #FINGERPRINT_LENGTH} bytes.
     * @param outOffset where.
     */
    public void fingerprint(final byte[] out, final int outOffset)
    {
        if (null == sha256)
        {
            sha256 = HmacSha256.newSha256();
        }
        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            sha256.update(array, (int)buffer.wrapAdjustment() + offset, canonicalLength);
        }
        else
        {
            final byte[] copy = new byte[canonicalLength];
            buffer.getBytes(offset, copy);
            sha256.update(copy);
        }
        try
        {
            sha256.digest(out, outOffset, FINGERPRINT_LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @return the fingerprint (allocates).
     */
    public byte[] fingerprint()
    {
        final byte[] out = new byte[FINGERPRINT_LENGTH];
        fingerprint(out, 0);
        return out;
    }

    /**
     * §4.3.6 glare: compare two certificates as unsigned byte strings.
     *
     * @param a a certificate.
     * @param b another.
     * @return negative, zero or positive as a sorts before, equal to, or after b.
     */
    public static int compare(final byte[] a, final byte[] b)
    {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    /**
     * @param buffer   to write into.
     * @param offset   where.
     * @param hostname UTF-8 bytes.
     * @return bytes written.
     */
    public static int encodeHostname(final MutableDirectBuffer buffer, final int offset, final byte[] hostname)
    {
        final int n = OptionFlyweight.encodeHeader(buffer, offset, HOSTNAME, hostname.length);
        buffer.putBytes(offset + n, hostname);
        return n + hostname.length;
    }

    /**
     * @param buffer to write into.
     * @param offset where.
     * @return bytes written.
     */
    public static int encodeAcceptsAncillaryData(final MutableDirectBuffer buffer, final int offset)
    {
        return OptionFlyweight.encodeHeader(buffer, offset, ACCEPTS_ANCILLARY_DATA, 0);
    }

    /**
     * @param buffer     to write into.
     * @param offset     where.
     * @param randomness the bytes (64 in practice).
     * @return bytes written.
     */
    public static int encodeExtraRandomness(final MutableDirectBuffer buffer, final int offset, final byte[] randomness)
    {
        final int n = OptionFlyweight.encodeHeader(buffer, offset, EXTRA_RANDOMNESS, randomness.length);
        buffer.putBytes(offset + n, randomness);
        return n + randomness.length;
    }

    /**
     * @param buffer to write into.
     * @param offset where.
     * @param group  DH group ID.
     * @return bytes written.
     */
    public static int encodeEphemeralGroup(final MutableDirectBuffer buffer, final int offset, final int group)
    {
        final int n = OptionFlyweight.encodeHeader(buffer, offset, SUPPORTED_EPHEMERAL_GROUP, Vlu.encodedLength(group));
        return n + Vlu.encode(buffer, offset + n, group);
    }

    /**
     * @param buffer  to write into.
     * @param offset  where.
     * @param keyPair static key pair; its public key is written.
     * @return bytes written.
     */
    public static int encodeStaticKey(final MutableDirectBuffer buffer, final int offset,
        final DiffieHellmanKeyPair keyPair)
    {
        final int group = keyPair.group().id();
        final byte[] key = keyPair.publicKey();
        int n = OptionFlyweight.encodeHeader(
            buffer, offset, STATIC_DH_PUBLIC_KEY, Vlu.encodedLength(group) + key.length);
        n += Vlu.encode(buffer, offset + n, group);
        buffer.putBytes(offset + n, key);
        return n + key.length;
    }
}
