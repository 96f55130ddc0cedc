package io.flowcast.crypto;

import io.flowcast.codec.OptionFlyweight;
import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A Session Key Initiator or Responder Component, SKIC / SKRC (notes §4.8): an option list of DH Public Key (0x0D),
 * Extra Randomness (0x0E), HMAC Negotiation (0x1A), DH Group Select (0x1D) and SSEQ Negotiation (0x1E). Parsed in
 * place; reuse one instance. The component bytes are hashed exactly as carried for key derivation, so never
 * re-encode a received one. Static {@code encode...} methods write our own.
 */
public final class KeyingComponent
{
    /** Option type: DH Public Key, VLU group then public key bytes. */
    public static final int DH_PUBLIC_KEY = 0x0D;
    /** Option type: Extra Randomness. */
    public static final int EXTRA_RANDOMNESS = 0x0E;
    /** Option type: HMAC Negotiation, flag byte then VLU length. */
    public static final int HMAC_NEGOTIATION = 0x1A;
    /** Option type: DH Group Select, VLU group (static-key initiators). */
    public static final int DH_GROUP_SELECT = 0x1D;
    /** Option type: SSEQ Negotiation, flag byte. */
    public static final int SSEQ_NEGOTIATION = 0x1E;

    /** {@link #wrap}: parsed. */
    public static final int OK = 0;
    /** {@link #wrap}: the option list is malformed. */
    public static final int ERROR_MALFORMED = -1;
    /** {@link #wrap}: a known option has a malformed value. */
    public static final int ERROR_BAD_OPTION = -2;

    private final OptionFlyweight options = new OptionFlyweight();
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private long dhGroup;
    private int publicKeyOffset;
    private int publicKeyLength;
    private long groupSelect;
    private int extraRandomnessOffset;
    private int extraRandomnessLength;
    private int hmacFlags;
    private long hmacLength;
    private int sseqFlags;

    /**
     * @param buffer holding the component.
     * @param offset of its first byte.
     * @param length of the component.
     * @return {@link #OK} or a negative error code.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        dhGroup = -1;
        publicKeyOffset = -1;
        publicKeyLength = 0;
        groupSelect = -1;
        extraRandomnessOffset = -1;
        extraRandomnessLength = 0;
        hmacFlags = 0;
        hmacLength = 0;
        sseqFlags = 0;

        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            return ERROR_MALFORMED;
        }
        options.wrap(buffer, offset, offset + length, false);
        int rc;
        while (OptionFlyweight.OPTION == (rc = options.next()))
        {
            final int value = options.valueOffset();
            final int limit = value + options.valueLength();
            final long type = options.type();
            if (DH_PUBLIC_KEY == type || DH_GROUP_SELECT == type)
            {
                final int groupLength = Vlu.length(buffer, value, limit);
                if (groupLength < 0)
                {
                    return ERROR_BAD_OPTION;
                }
                if (DH_PUBLIC_KEY == type)
                {
                    dhGroup = Vlu.value(buffer, value);
                    publicKeyOffset = value + groupLength;
                    publicKeyLength = limit - publicKeyOffset;
                }
                else
                {
                    groupSelect = Vlu.value(buffer, value);
                }
            }
            else if (EXTRA_RANDOMNESS == type)
            {
                extraRandomnessOffset = value;
                extraRandomnessLength = limit - value;
            }
            else if (HMAC_NEGOTIATION == type)
            {
                final int lengthBytes = Vlu.length(buffer, value + 1, limit);
                if (value >= limit || lengthBytes < 0)
                {
                    return ERROR_BAD_OPTION;
                }
                hmacFlags = buffer.getByte(value) & 0xFF;
                hmacLength = Vlu.value(buffer, value + 1);
            }
            else if (SSEQ_NEGOTIATION == type)
            {
                if (value >= limit)
                {
                    return ERROR_BAD_OPTION;
                }
                sseqFlags = buffer.getByte(value) & 0xFF;
            }
        }
        return rc < 0 ? ERROR_MALFORMED : OK;
    }

    /**
     * @return the component's bytes (a copy), as hashed by key derivation.
     */
    public byte[] bytes()
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    /**
     * @return group of the DH Public Key option, -1 when absent.
     */
    public long dhGroup()
    {
        return dhGroup;
    }

    /**
     * @return offset of the ephemeral public key bytes, -1 when absent.
     */
    public int publicKeyOffset()
    {
        return publicKeyOffset;
    }

    /**
     * @return length of the ephemeral public key bytes.
     */
    public int publicKeyLength()
    {
        return publicKeyLength;
    }

    /**
     * @return the ephemeral public number, or null when absent.
     */
    public java.math.BigInteger publicNumber()
    {
        if (publicKeyOffset < 0)
        {
            return null;
        }
        final byte[] key = new byte[publicKeyLength];
        buffer.getBytes(publicKeyOffset, key);
        return DiffieHellmanGroup.publicNumber(key, 0, key.length);
    }

    /**
     * @return group of the DH Group Select option, -1 when absent.
     */
    public long groupSelect()
    {
        return groupSelect;
    }

    /**
     * @return offset of the extra randomness, -1 when absent.
     */
    public int extraRandomnessOffset()
    {
        return extraRandomnessOffset;
    }

    /**
     * @return length of the extra randomness.
     */
    public int extraRandomnessLength()
    {
        return extraRandomnessLength;
    }

    /**
     * @return HMAC negotiation flags, 0 when the option is absent.
     */
    public int hmacFlags()
    {
        return hmacFlags;
    }

    /**
     * @return HMAC length the sender of this component will send, 0 when absent.
     */
    public long hmacLength()
    {
        return hmacLength;
    }

    /**
     * @return SSEQ negotiation flags, 0 when the option is absent.
     */
    public int sseqFlags()
    {
        return sseqFlags;
    }

    /**
     * @param buffer    to write into.
     * @param offset    where.
     * @param group     DH group ID.
     * @param publicKey minimal big-endian public key.
     * @return bytes written.
     */
    public static int encodeDhPublicKey(
        final MutableDirectBuffer buffer, final int offset, final int group, final byte[] publicKey)
    {
        final int groupLength = Vlu.encodedLength(group);
        int n = OptionFlyweight.encodeHeader(buffer, offset, DH_PUBLIC_KEY, groupLength + publicKey.length);
        n += Vlu.encode(buffer, offset + n, group);
        buffer.putBytes(offset + n, publicKey);
        return n + publicKey.length;
    }

    /**
     * @param buffer to write into.
     * @param offset where.
     * @param group  DH group ID.
     * @return bytes written.
     */
    public static int encodeGroupSelect(final MutableDirectBuffer buffer, final int offset, final int group)
    {
        final int n = OptionFlyweight.encodeHeader(buffer, offset, DH_GROUP_SELECT, Vlu.encodedLength(group));
        return n + Vlu.encode(buffer, offset + n, group);
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
     * @param buffer     to write into.
     * @param offset     where.
     * @param flags      {@link Negotiation} flags.
     * @param hmacLength the HMAC length this end sends (4..32).
     * @return bytes written.
     */
    public static int encodeHmacNegotiation(
        final MutableDirectBuffer buffer, final int offset, final int flags, final int hmacLength)
    {
        int n = OptionFlyweight.encodeHeader(buffer, offset, HMAC_NEGOTIATION, 1 + Vlu.encodedLength(hmacLength));
        buffer.putByte(offset + n++, (byte)flags);
        return n + Vlu.encode(buffer, offset + n, hmacLength);
    }

    /**
     * @param buffer to write into.
     * @param offset where.
     * @param flags  {@link Negotiation} flags.
     * @return bytes written.
     */
    public static int encodeSseqNegotiation(final MutableDirectBuffer buffer, final int offset, final int flags)
    {
        int n = OptionFlyweight.encodeHeader(buffer, offset, SSEQ_NEGOTIATION, 1);
        buffer.putByte(offset + n++, (byte)flags);
        return n;
    }
}
