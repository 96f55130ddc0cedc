package io.flowcast.crypto;

/**
 * Key derivation of the profile (notes §4.11, confirmed by the golden session): from the DH shared secret K and the
 * session keying components exactly as carried,
 *
 * <pre>
 *   E_i2r = HMAC(K, HMAC(SKRC, SKIC))   AES key i2r = E_i2r[0..15]   HMAC key i2r = HMAC(K, E_i2r)
 *   E_r2i = HMAC(K, HMAC(SKIC, SKRC))   AES key r2i = E_r2i[0..15]   HMAC key r2i = HMAC(K, E_r2i)
 *   initiator nonce = HMAC(K, SKIC)     responder nonce = HMAC(K, SKRC)
 * </pre>
 */
public final class SessionKeys
{
    private final byte[] i2rEncrypt;
    private final byte[] r2iEncrypt;
    private final byte[] i2rHmacKey;
    private final byte[] r2iHmacKey;
    private final byte[] initiatorNonce;
    private final byte[] responderNonce;

    private SessionKeys(
        final byte[] i2rEncrypt,
        final byte[] r2iEncrypt,
        final byte[] i2rHmacKey,
        final byte[] r2iHmacKey,
        final byte[] initiatorNonce,
        final byte[] responderNonce)
    {
        this.i2rEncrypt = i2rEncrypt;
        this.r2iEncrypt = r2iEncrypt;
        this.i2rHmacKey = i2rHmacKey;
        this.r2iHmacKey = r2iHmacKey;
        this.initiatorNonce = initiatorNonce;
        this.responderNonce = responderNonce;
    }

    /**
     * @param sharedSecret DH shared secret, minimal big-endian bytes.
     * @param skic         Session Key Initiator Component as carried in IIKeying.
     * @param skrc         Session Key Responder Component as carried in RIKeying.
     * @return the derived keys and nonces.
     */
    public static SessionKeys derive(final byte[] sharedSecret, final byte[] skic, final byte[] skrc)
    {
        final HmacSha256 k = new HmacSha256(sharedSecret);
        final byte[] i2r = mac(k, HmacSha256.hmac(skrc, skic));
        final byte[] r2i = mac(k, HmacSha256.hmac(skic, skrc));
        return new SessionKeys(i2r, r2i, mac(k, i2r), mac(k, r2i), mac(k, skic), mac(k, skrc));
    }

    private static byte[] mac(final HmacSha256 k, final byte[] message)
    {
        k.update(message, 0, message.length);
        return k.doFinal();
    }

    /**
     * @return the full 32-byte HMAC whose first 16 bytes are the initiator-to-responder AES key.
     */
    public byte[] i2rEncryptFull()
    {
        return i2rEncrypt.clone();
    }

    /**
     * @return the full 32-byte HMAC whose first 16 bytes are the responder-to-initiator AES key.
     */
    public byte[] r2iEncryptFull()
    {
        return r2iEncrypt.clone();
    }

    /**
     * @return initiator-to-responder AES-128 key.
     */
    public byte[] i2rAesKey()
    {
        return java.util.Arrays.copyOf(i2rEncrypt, Aes128Cbc.KEY_LENGTH);
    }

    /**
     * @return responder-to-initiator AES-128 key.
     */
    public byte[] r2iAesKey()
    {
        return java.util.Arrays.copyOf(r2iEncrypt, Aes128Cbc.KEY_LENGTH);
    }

    /**
     * @return initiator-to-responder HMAC-SHA256 key.
     */
    public byte[] i2rHmacKey()
    {
        return i2rHmacKey.clone();
    }

    /**
     * @return responder-to-initiator HMAC-SHA256 key.
     */
    public byte[] r2iHmacKey()
    {
        return r2iHmacKey.clone();
    }

    /**
     * @return the initiator's session nonce, HMAC(K, SKIC).
     */
    public byte[] initiatorNonce()
    {
        return initiatorNonce.clone();
    }

    /**
     * @return the responder's session nonce, HMAC(K, SKRC).
     */
    public byte[] responderNonce()
    {
        return responderNonce.clone();
    }

    /**
     * @param hmacLength      negotiated HMAC length, 0 for the checksum.
     * @param sequenceNumbers negotiated session sequence numbers.
     * @return protection of initiator-to-responder packets.
     */
    public DirectionKeys i2r(final int hmacLength, final boolean sequenceNumbers)
    {
        return new DirectionKeys(i2rAesKey(), 0 == hmacLength ? null : i2rHmacKey, hmacLength, sequenceNumbers);
    }

    /**
     * @param hmacLength      negotiated HMAC length, 0 for the checksum.
     * @param sequenceNumbers negotiated session sequence numbers.
     * @return protection of responder-to-initiator packets.
     */
    public DirectionKeys r2i(final int hmacLength, final boolean sequenceNumbers)
    {
        return new DirectionKeys(r2iAesKey(), 0 == hmacLength ? null : r2iHmacKey, hmacLength, sequenceNumbers);
    }
}
