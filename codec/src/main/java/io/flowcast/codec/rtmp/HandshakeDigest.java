package io.flowcast.codec.rtmp;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The digest ("complex") RTMP handshake that Flash Player and Flash Media Server use, and that H.264/AAC-era players
 * require from a server. It is not in rtmp-1.0.txt; the layout and keys below are the well-known public ones.
 * <p>
 * <b>Keys.</b> Both start with an ASCII text followed by the same 32 bytes:
 * the client key "Genuine Adobe Flash Player 001" + 32 bytes (62), of which the first 30 sign C1; the server key
 * "Genuine Adobe Flash Media Server 001" + 32 bytes (68), of which the first 36 sign S1.
 * <p>
 * <b>C1/S1 digest.</b> A 32-byte HMAC-SHA256 digest sits inside the 1528 random bytes at an offset derived from
 * four bytes of the packet, by one of two schemes:
 * <ul>
 * <li>{@link #SCHEME_0}: offset = (sum of bytes 8..11) mod 728 + 12 (digest block first; Flash Player 9+);</li>
 * <li>{@link #SCHEME_1}: offset = (sum of bytes 772..775) mod 728 + 776 (key block first).</li>
 * </ul>
 * The digest is HMAC-SHA256(partial key, the 1504 packet bytes other than the digest). A server validates C1 by
 * trying both schemes, answers S1 with its own digest in the same scheme.
 * <p>
 * <b>C2/S2 signature.</b> The last 32 bytes of S2 are HMAC-SHA256(HMAC-SHA256(full server key, C1 digest),
 * first 1504 bytes of S2); symmetrically C2 uses the full client key and S1's digest.
 * <p>
 * Handshakes are rare: this class holds one JCE {@link Mac} and a scratch array and is not thread-safe.
 */
public final class HandshakeDigest
{
    /** Digest offset pointer at bytes 8..11. */
    public static final int SCHEME_0 = 0;
    /** Digest offset pointer at bytes 772..775. */
    public static final int SCHEME_1 = 1;
    /** No scheme validates: the peer uses the simple handshake. */
    public static final int NO_DIGEST = -1;

    public static final int DIGEST_LENGTH = 32;
    /** Where the C2/S2 signature starts. */
    public static final int SIGNATURE_OFFSET = Handshake.PACKET_LENGTH - DIGEST_LENGTH;
    /** Partial key lengths used for C1 and S1 digests. */
    public static final int CLIENT_PARTIAL_KEY_LENGTH = 30;
    public static final int SERVER_PARTIAL_KEY_LENGTH = 36;

    private static final byte[] KEY_TAIL = {
        (byte)0xF0, (byte)0xEE, (byte)0xC2, (byte)0x4A, (byte)0x80, (byte)0x68, (byte)0xBE, (byte)0xE8,
        (byte)0x2E, (byte)0x00, (byte)0xD0, (byte)0xD1, (byte)0x02, (byte)0x9E, (byte)0x7E, (byte)0x57,
        (byte)0x6E, (byte)0xEC, (byte)0x5D, (byte)0x2D, (byte)0x29, (byte)0x80, (byte)0x6F, (byte)0xAB,
        (byte)0x93, (byte)0xB8, (byte)0xE6, (byte)0x36, (byte)0xCF, (byte)0xEB, (byte)0x31, (byte)0xAE };

    /** "Genuine Adobe Flash Player 001" + the 32-byte tail (62 bytes). */
    public static final byte[] CLIENT_KEY = key("Genuine Adobe Flash Player 001");
    /** "Genuine Adobe Flash Media Server 001" + the 32-byte tail (68 bytes). */
    public static final byte[] SERVER_KEY = key("Genuine Adobe Flash Media Server 001");

    private static final int SCHEME_POINTER_OFFSET_0 = 8;
    private static final int SCHEME_POINTER_OFFSET_1 = 772;
    private static final int DIGEST_RANGE = 728;

    private final Mac mac;
    private final byte[] packet = new byte[Handshake.PACKET_LENGTH];
    private final byte[] digest = new byte[DIGEST_LENGTH];

    /**
     * @throws IllegalStateException if the JRE has no HmacSHA256 (every JRE must).
     */
    public HandshakeDigest()
    {
        try
        {
            mac = Mac.getInstance("HmacSHA256");
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 unavailable", ex);
        }
    }

    private static byte[] key(final String text)
    {
        final byte[] head = text.getBytes(StandardCharsets.US_ASCII);
        final byte[] key = new byte[head.length + KEY_TAIL.length];
        System.arraycopy(head, 0, key, 0, head.length);
        System.arraycopy(KEY_TAIL, 0, key, head.length, KEY_TAIL.length);
        return key;
    }

    /**
     * @param buffer holding a 1536-byte C1/S1.
     * @param offset of the packet.
     * @param scheme {@link #SCHEME_0} or {@link #SCHEME_1}.
     * @return offset of the digest from the start of the packet, in 12..771 or 776..1535-32.
     */
    public static int digestOffset(final DirectBuffer buffer, final int offset, final int scheme)
    {
        final int pointer = SCHEME_0 == scheme ? SCHEME_POINTER_OFFSET_0 : SCHEME_POINTER_OFFSET_1;
        final int sum = (buffer.getByte(offset + pointer) & 0xFF) + (buffer.getByte(offset + pointer + 1) & 0xFF) +
            (buffer.getByte(offset + pointer + 2) & 0xFF) + (buffer.getByte(offset + pointer + 3) & 0xFF);
        return sum % DIGEST_RANGE + pointer + 4;
    }

    /**
     * Write the digest into a C1/S1 whose other bytes are already filled.
     *
     * @param buffer           holding the packet.
     * @param offset           of the packet.
     * @param scheme           {@link #SCHEME_0} or {@link #SCHEME_1}.
     * @param key              {@link #CLIENT_KEY} (C1) or {@link #SERVER_KEY} (S1).
     * @param partialKeyLength {@link #CLIENT_PARTIAL_KEY_LENGTH} or {@link #SERVER_PARTIAL_KEY_LENGTH}.
     * @return the digest offset used.
     */
    public int sign(
        final MutableDirectBuffer buffer, final int offset, final int scheme, final byte[] key, final int partialKeyLength)
    {
        final int at = digestOffset(buffer, offset, scheme);
        computeDigest(buffer, offset, at, key, partialKeyLength);
        buffer.putBytes(offset + at, digest);
        return at;
    }

    /**
     * Find which scheme a peer's C1/S1 digest validates under.
     *
     * @param buffer           holding the packet.
     * @param offset           of the packet.
     * @param key              the peer's key ({@link #CLIENT_KEY} for C1).
     * @param partialKeyLength its partial length.
     * @return {@link #SCHEME_0}, {@link #SCHEME_1} or {@link #NO_DIGEST}.
     */
    public int validate(final DirectBuffer buffer, final int offset, final byte[] key, final int partialKeyLength)
    {
        for (int scheme = SCHEME_0; scheme <= SCHEME_1; scheme++)
        {
            final int at = digestOffset(buffer, offset, scheme);
            computeDigest(buffer, offset, at, key, partialKeyLength);
            if (equalsAt(buffer, offset + at))
            {
                return scheme;
            }
        }
        return NO_DIGEST;
    }

    /**
     * Write the C2/S2 signature: the last 32 bytes of the response, over its first 1504 bytes (already filled).
     *
     * @param response       holding the C2/S2.
     * @param offset         of the response.
     * @param peerPacket     holding the peer's C1/S1.
     * @param peerOffset     of the peer's packet.
     * @param peerScheme     scheme the peer's digest validated under.
     * @param fullKey        our full key ({@link #SERVER_KEY} for S2, {@link #CLIENT_KEY} for C2).
     */
    public void signResponse(
        final MutableDirectBuffer response,
        final int offset,
        final DirectBuffer peerPacket,
        final int peerOffset,
        final int peerScheme,
        final byte[] fullKey)
    {
        computeSignature(response, offset, peerPacket, peerOffset, peerScheme, fullKey);
        response.putBytes(offset + SIGNATURE_OFFSET, digest);
    }

    /**
     * Check the C2/S2 signature made by the peer over our C1/S1.
     *
     * @param response    holding the peer's C2/S2.
     * @param offset      of the response.
     * @param ourPacket   holding our C1/S1 with its digest.
     * @param ourOffset   of our packet.
     * @param ourScheme   scheme of our digest.
     * @param peerFullKey the peer's full key.
     * @return true if the signature matches.
     */
    public boolean validateResponse(
        final DirectBuffer response,
        final int offset,
        final DirectBuffer ourPacket,
        final int ourOffset,
        final int ourScheme,
        final byte[] peerFullKey)
    {
        computeSignature(response, offset, ourPacket, ourOffset, ourScheme, peerFullKey);
        return equalsAt(response, offset + SIGNATURE_OFFSET);
    }

    private void computeSignature(
        final DirectBuffer response,
        final int offset,
        final DirectBuffer packetWithDigest,
        final int packetOffset,
        final int scheme,
        final byte[] fullKey)
    {
        try
        {
            final int at = digestOffset(packetWithDigest, packetOffset, scheme);
            packetWithDigest.getBytes(packetOffset + at, digest);
            mac.init(new SecretKeySpec(fullKey, "HmacSHA256"));
            mac.update(digest);
            final byte[] responseKey = mac.doFinal();
            response.getBytes(offset, packet, 0, SIGNATURE_OFFSET);
            mac.init(new SecretKeySpec(responseKey, "HmacSHA256"));
            mac.update(packet, 0, SIGNATURE_OFFSET);
            mac.doFinal(digest, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private void computeDigest(
        final DirectBuffer buffer, final int offset, final int at, final byte[] key, final int partialKeyLength)
    {
        try
        {
            buffer.getBytes(offset, packet, 0, Handshake.PACKET_LENGTH);
            mac.init(new SecretKeySpec(key, 0, partialKeyLength, "HmacSHA256"));
            mac.update(packet, 0, at);
            mac.update(packet, at + DIGEST_LENGTH, Handshake.PACKET_LENGTH - at - DIGEST_LENGTH);
            mac.doFinal(digest, 0);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private boolean equalsAt(final DirectBuffer buffer, final int offset)
    {
        int difference = 0;
        for (int i = 0; i < DIGEST_LENGTH; i++)
        {
            difference |= buffer.getByte(offset + i) ^ digest[i];
        }
        return 0 == difference;
    }
}
