package io.flowcast.crypto;

import org.agrona.DirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA256 (RFC 2104) over the JDK's SHA-256 {@link MessageDigest} (SHA-NI / AVX2 intrinsics), with the keyed
 * pads precomputed once per key so that {@link #doFinal(byte[], int)} allocates nothing: {@code javax.crypto.Mac}
 * allocates its result on every call. Not thread-safe; one instance per key and thread.
 */
public final class HmacSha256
{
    /** Bytes of an HMAC-SHA256 result. */
    public static final int LENGTH = 32;

    private static final int BLOCK = 64;
    /** Length of the work array {@link #HmacSha256(byte[], byte[])} shares. */
    public static final int WORK_LENGTH = 512;
    private static final int COPY_CHUNK = WORK_LENGTH;

    private final MessageDigest digest;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner;
    private byte[] copyChunk;

    /**
     * @param key the HMAC key, any length (keys longer than 64 bytes are hashed first, as RFC 2104 says).
     */
    public HmacSha256(final byte[] key)
    {
        digest = newSha256();
        inner = new byte[LENGTH];
        init(key, 0, key.length);
    }

    /**
     * @param key  the HMAC key, any length.
     * @param work at least {@link #WORK_LENGTH} bytes of transient work space (direct-buffer copies, the inner
     *             hash), shareable by every instance used on one thread: saves ~560 bytes per instance.
     */
    public HmacSha256(final byte[] key, final byte[] work)
    {
        if (work.length < WORK_LENGTH)
        {
            throw new IllegalArgumentException("work array must hold " + WORK_LENGTH + " bytes");
        }
        digest = newSha256();
        inner = work; // update() and doFinal() never use it at the same time
        copyChunk = work;
        init(key, 0, key.length);
    }

    /**
     * Set a new key and start a new message.
     *
     * @param key    holding the key.
     * @param offset of the key.
     * @param length of the key.
     */
    public void init(final byte[] key, final int offset, final int length)
    {
        byte[] k = key;
        int kOffset = offset;
        int kLength = length;
        if (length > BLOCK)
        {
            digest.reset();
            digest.update(key, offset, length);
            k = digest.digest();
            kOffset = 0;
            kLength = k.length;
        }
        for (int i = 0; i < BLOCK; i++)
        {
            final int b = i < kLength ? k[kOffset + i] : 0;
            innerPad[i] = (byte)(b ^ 0x36);
            outerPad[i] = (byte)(b ^ 0x5c);
        }
        reset();
    }

    /**
     * Discard any message in progress.
     */
    public void reset()
    {
        digest.reset();
        digest.update(innerPad, 0, BLOCK);
    }

    /**
     * @param bytes  message bytes.
     * @param offset of the first.
     * @param length number of bytes.
     */
    public void update(final byte[] bytes, final int offset, final int length)
    {
        digest.update(bytes, offset, length);
    }

    /**
     * @param buffer message bytes (heap or direct).
     * @param offset of the first.
     * @param length number of bytes.
     */
    public void update(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            digest.update(array, (int)buffer.wrapAdjustment() + offset, length);
            return;
        }
        if (null == copyChunk)
        {
            copyChunk = new byte[COPY_CHUNK];
        }
        for (int done = 0; done < length; )
        {
            final int n = Math.min(COPY_CHUNK, length - done);
            buffer.getBytes(offset + done, copyChunk, 0, n);
            digest.update(copyChunk, 0, n);
            done += n;
        }
    }

    /**
     * Finish the message, write the 32-byte result and start a new message with the same key.
     *
     * @param out    receives {@link #LENGTH} bytes.
     * @param offset where to write them.
     */
    public void doFinal(final byte[] out, final int offset)
    {
        try
        {
            digest.digest(inner, 0, LENGTH);
            digest.update(outerPad, 0, BLOCK);
            digest.update(inner, 0, LENGTH);
            digest.digest(out, offset, LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        digest.update(innerPad, 0, BLOCK);
    }

    /**
     * @return the 32-byte result of the message so far (allocates; for handshakes, not packets).
     */
    public byte[] doFinal()
    {
        final byte[] out = new byte[LENGTH];
        doFinal(out, 0);
        return out;
    }

    /**
     * One-shot HMAC-SHA256 for key derivation.
     *
     * @param key     the key.
     * @param message the message.
     * @return the 32-byte result.
     */
    public static byte[] hmac(final byte[] key, final byte[] message)
    {
        final HmacSha256 mac = new HmacSha256(key);
        mac.update(message, 0, message.length);
        return mac.doFinal();
    }

    /**
     * @param bytes to hash.
     * @param offset of the first.
     * @param length number of bytes.
     * @return SHA-256 of them.
     */
    public static byte[] sha256(final byte[] bytes, final int offset, final int length)
    {
        final MessageDigest sha = newSha256();
        sha.update(bytes, offset, length);
        return sha.digest();
    }

    static MessageDigest newSha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", ex);
        }
    }
}
