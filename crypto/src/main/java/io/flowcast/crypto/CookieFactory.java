package io.flowcast.crypto;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.security.SecureRandom;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Stateless RHello cookies for a responder (RFC 7016 §3.5.1.1.2, notes §4.13): the cookie binds the initiator's
 * address and a coarse issue time to a rotating secret, so the responder keeps no state for an initiator until
 * the cookie comes back, valid, in IIKeying. 64 bytes, the length Flash, AMS and librtmfp use:
 *
 * <pre>
 *   0      generation of the secret (rotates)
 *   1..4   issue time, seconds, big-endian
 *   5..12  issue counter
 *   13..31 filler from a per-factory generator (unpredictable, covered by the MAC)
 *   32..63 HMAC-SHA256(secret, bytes 0..31 | address bytes)
 * </pre>
 *
 * The address is whatever bytes the caller encodes (e.g. IPv4/IPv6 address and port as on the wire), so nothing is
 * allocated per datagram. The secret is replaced every {@code lifetimeSeconds}; cookies under the previous secret
 * stay valid until they expire. Not thread-safe.
 */
public final class CookieFactory
{
    /** Length of every cookie issued. */
    public static final int COOKIE_LENGTH = 64;

    /** {@link #verify}: our cookie, for this address, not expired. */
    public static final int VALID = 0;
    /** {@link #verify}: not 64 bytes. */
    public static final int ERROR_LENGTH = -1;
    /** {@link #verify}: the MAC does not match (forged, altered, or another address). */
    public static final int ERROR_FORGED = -2;
    /** {@link #verify}: older than the lifetime, from the future, or its secret was rotated out. */
    public static final int ERROR_EXPIRED = -3;

    private static final int TIME_OFFSET = 1;
    private static final int COUNTER_OFFSET = 5;
    private static final int FILLER_OFFSET = 13;
    private static final int MAC_OFFSET = 32;
    private static final int SECRET_LENGTH = 32;
    private static final long CLOCK_SKEW_SECONDS = 2;

    private final SecureRandom random;
    private final long lifetimeSeconds;
    private final byte[] secret = new byte[SECRET_LENGTH];
    private final byte[] header = new byte[MAC_OFFSET];
    private final byte[] mac = new byte[HmacSha256.LENGTH];
    private HmacSha256 current;
    private HmacSha256 previous;
    private int generation;
    private long secretCreated = Long.MIN_VALUE;
    private long counter;
    private long filler;

    /**
     * @param random          source of secrets.
     * @param lifetimeSeconds how long a cookie stays valid, and how often the secret rotates.
     */
    public CookieFactory(final SecureRandom random, final long lifetimeSeconds)
    {
        if (lifetimeSeconds <= 0)
        {
            throw new IllegalArgumentException("cookie lifetime must be positive: " + lifetimeSeconds);
        }
        this.random = random;
        this.lifetimeSeconds = lifetimeSeconds;
        random.nextBytes(secret);
        current = new HmacSha256(secret);
        previous = new HmacSha256(secret);
        generation = random.nextInt(256);
        filler = random.nextLong() | 1;
    }

    /**
     * Replace the secret now; cookies under the previous one stay valid until they expire.
     *
     * @param nowSeconds current time.
     */
    public void rotate(final long nowSeconds)
    {
        final HmacSha256 retired = previous;
        previous = current;
        random.nextBytes(secret);
        retired.init(secret, 0, SECRET_LENGTH);
        current = retired;
        generation = (generation + 1) & 0xFF;
        secretCreated = nowSeconds;
    }

    /**
     * Write a cookie for an initiator.
     *
     * @param buffer        to write into ({@link #COOKIE_LENGTH} bytes).
     * @param offset        where.
     * @param address       initiator address bytes (IP and port).
     * @param addressOffset of them.
     * @param addressLength number of them.
     * @param nowSeconds    current time, seconds.
     * @return {@link #COOKIE_LENGTH}.
     */
    public int issue(
        final MutableDirectBuffer buffer,
        final int offset,
        final DirectBuffer address,
        final int addressOffset,
        final int addressLength,
        final long nowSeconds)
    {
        if (Long.MIN_VALUE == secretCreated)
        {
            secretCreated = nowSeconds;
        }
        else if (nowSeconds - secretCreated >= lifetimeSeconds)
        {
            rotate(nowSeconds);
        }
        header[0] = (byte)generation;
        putLong(header, TIME_OFFSET, 4, nowSeconds);
        putLong(header, COUNTER_OFFSET, 8, counter++);
        for (int i = FILLER_OFFSET; i < MAC_OFFSET; i += 8)
        {
            filler ^= filler << 13;
            filler ^= filler >>> 7;
            filler ^= filler << 17;
            putLong(header, i, Math.min(8, MAC_OFFSET - i), filler);
        }
        current.update(header, 0, MAC_OFFSET);
        current.update(address, addressOffset, addressLength);
        current.doFinal(mac, 0);
        buffer.putBytes(offset, header, 0, MAC_OFFSET);
        buffer.putBytes(offset + MAC_OFFSET, mac, 0, HmacSha256.LENGTH);
        return COOKIE_LENGTH;
    }

    /**
     * Check a cookie echoed in IIKeying.
     *
     * @param cookie        buffer holding it.
     * @param offset        of it.
     * @param length        of it.
     * @param address       the sender's address bytes, encoded as for {@link #issue}.
     * @param addressOffset of them.
     * @param addressLength number of them.
     * @param nowSeconds    current time, seconds.
     * @return {@link #VALID} or a negative reason.
     */
    public int verify(
        final DirectBuffer cookie,
        final int offset,
        final int length,
        final DirectBuffer address,
        final int addressOffset,
        final int addressLength,
        final long nowSeconds)
    {
        if (COOKIE_LENGTH != length || offset < 0 || offset > cookie.capacity() - length)
        {
            return ERROR_LENGTH;
        }
        final int cookieGeneration = cookie.getByte(offset) & 0xFF;
        final HmacSha256 key;
        if (cookieGeneration == generation)
        {
            key = current;
        }
        else if (cookieGeneration == ((generation - 1) & 0xFF))
        {
            key = previous;
        }
        else
        {
            return ERROR_EXPIRED;
        }
        cookie.getBytes(offset, header, 0, MAC_OFFSET);
        key.update(header, 0, MAC_OFFSET);
        key.update(address, addressOffset, addressLength);
        key.doFinal(mac, 0);
        int diff = 0;
        for (int i = 0; i < HmacSha256.LENGTH; i++)
        {
            diff |= mac[i] ^ cookie.getByte(offset + MAC_OFFSET + i);
        }
        if (0 != diff)
        {
            return ERROR_FORGED;
        }
        final long issued = cookie.getInt(offset + TIME_OFFSET, BIG_ENDIAN) & 0xFFFF_FFFFL;
        final long age = (nowSeconds & 0xFFFF_FFFFL) - issued;
        if (age > lifetimeSeconds || age < -CLOCK_SKEW_SECONDS)
        {
            return ERROR_EXPIRED;
        }
        return VALID;
    }

    private static void putLong(final byte[] bytes, final int offset, final int length, final long value)
    {
        for (int i = 0; i < length; i++)
        {
            bytes[offset + i] = (byte)(value >>> (8 * (length - 1 - i)));
        }
    }
}
