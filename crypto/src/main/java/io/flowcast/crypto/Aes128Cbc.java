package io.flowcast.crypto;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * AES-128-CBC with the all-zero IV and no cipher padding, the packet cipher of the RFC 7425 profile (notes §4.2).
 * Wraps one JCE {@link Cipher} per direction (AES-NI intrinsics for CBC), initialised once: {@code doFinal} returns
 * the cipher to its initial state, so every packet starts from the zero IV again without re-initialising and
 * without allocating. Input and output must not overlap (JCE copies overlapping input).
 */
public final class Aes128Cbc
{
    /** AES block size; ciphertexts are multiples of it. */
    public static final int BLOCK = 16;
    /** AES-128 key length. */
    public static final int KEY_LENGTH = 16;

    private final Cipher cipher;

    /**
     * @param key     16-byte AES key.
     * @param encrypt true to encrypt, false to decrypt.
     */
    public Aes128Cbc(final byte[] key, final boolean encrypt)
    {
        if (KEY_LENGTH != key.length)
        {
            throw new IllegalArgumentException("AES-128 key must be 16 bytes, got " + key.length);
        }
        try
        {
            cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(
                encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE,
                new SecretKeySpec(key, "AES"),
                new IvParameterSpec(new byte[BLOCK]));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("AES/CBC/NoPadding unavailable", ex);
        }
    }

    /**
     * @param in        input bytes.
     * @param inOffset  of the first.
     * @param length    a multiple of {@link #BLOCK}.
     * @param out       output array, not overlapping the input.
     * @param outOffset where to write {@code length} bytes.
     */
    public void process(final byte[] in, final int inOffset, final int length, final byte[] out, final int outOffset)
    {
        try
        {
            cipher.doFinal(in, inOffset, length, out, outOffset);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalArgumentException(ex);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
