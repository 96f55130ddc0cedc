package io.flowcast.crypto;

import java.nio.charset.StandardCharsets;

/**
 * What protects one direction of a session (notes §4.2): the AES-128 key, and either an HMAC-SHA256 key with its
 * truncated length (4 to 32) or the 16-bit checksum, with or without session sequence numbers. Immutable.
 */
public final class DirectionKeys
{
    /** §4.1 default session key, ASCII "Adobe Systems 02". */
    public static final byte[] DEFAULT_SESSION_KEY = "Adobe Systems 02".getBytes(StandardCharsets.US_ASCII);
    /** Shortest HMAC allowed, §4.6.4. */
    public static final int MIN_HMAC_LENGTH = 4;
    /** Longest HMAC, all of HMAC-SHA256. */
    public static final int MAX_HMAC_LENGTH = 32;
    /** HMAC length the reference server sends. */
    public static final int DEFAULT_HMAC_LENGTH = 16;

    /** Default-key framing for startup packets: checksum, no sequence numbers. */
    public static final DirectionKeys DEFAULT = new DirectionKeys(DEFAULT_SESSION_KEY, null, 0, false);

    private final byte[] aesKey;
    private final byte[] hmacKey;
    private final int hmacLength;
    private final boolean sequenceNumbers;

    /**
     * @param aesKey          16-byte AES-128 key.
     * @param hmacKey         32-byte HMAC key, or null to use the checksum.
     * @param hmacLength      truncated HMAC length 4..32 when {@code hmacKey} is set, else ignored.
     * @param sequenceNumbers whether packets start with a session sequence number.
     */
    public DirectionKeys(final byte[] aesKey, final byte[] hmacKey, final int hmacLength, final boolean sequenceNumbers)
    {
        if (null == aesKey || Aes128Cbc.KEY_LENGTH != aesKey.length)
        {
            throw new IllegalArgumentException("AES key must be 16 bytes");
        }
        if (null != hmacKey && (hmacLength < MIN_HMAC_LENGTH || hmacLength > MAX_HMAC_LENGTH))
        {
            throw new IllegalArgumentException("HMAC length must be 4..32, got " + hmacLength);
        }
        this.aesKey = aesKey.clone();
        this.hmacKey = null == hmacKey ? null : hmacKey.clone();
        this.hmacLength = null == hmacKey ? 0 : hmacLength;
        this.sequenceNumbers = sequenceNumbers;
    }

    /**
     * @return a copy of the AES key.
     */
    public byte[] aesKey()
    {
        return aesKey.clone();
    }

    /**
     * @return a copy of the HMAC key, or null when the checksum is used.
     */
    public byte[] hmacKey()
    {
        return null == hmacKey ? null : hmacKey.clone();
    }

    /**
     * @return truncated HMAC length, 0 when the checksum is used.
     */
    public int hmacLength()
    {
        return hmacLength;
    }

    /**
     * @return true when packets carry a session sequence number.
     */
    public boolean sequenceNumbers()
    {
        return sequenceNumbers;
    }

    /**
     * @return true when an HMAC protects the packets (no checksum).
     */
    public boolean hmac()
    {
        return 0 != hmacLength;
    }

    byte[] aesKeyInternal()
    {
        return aesKey;
    }

    byte[] hmacKeyInternal()
    {
        return hmacKey;
    }

    public String toString()
    {
        return "DirectionKeys{hmacLength=" + hmacLength + ", sequenceNumbers=" + sequenceNumbers + '}';
    }
}
