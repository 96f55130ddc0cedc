package io.flowcast.crypto;

import io.flowcast.codec.rtmfp.Multiplex;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Offline decryption of captured datagrams with a {@link KeyLog} (for the dissector): for each datagram, try every
 * key-log entry whose session ID matches, then the default key; for HMAC keys try the HMAC lengths (16, 10, then
 * 4..32) and keep one that verifies; try with and without session sequence numbers and keep the variant whose
 * plaintext is a well-formed RTMFP packet (or the caller's {@link PacketCheck}). Allocates; not for the hot path.
 */
public final class KeyLogDecryptor
{
    /** {@link #decrypt}: no key verified this datagram. */
    public static final int NO_KEY = -1;
    /** {@link #decrypt}: shorter than a scrambled session ID and one block. */
    public static final int TOO_SHORT = -2;

    /**
     * Decides whether a decrypted plaintext is an RTMFP packet, to tell apart framings the integrity check cannot
     * (with HMAC, whether a sequence number is present).
     */
    @FunctionalInterface
    public interface PacketCheck
    {
        /**
         * @param buffer holding the candidate packet.
         * @param offset of its flags byte.
         * @param length up to the end of the padding.
         * @return true when it parses as a packet.
         */
        boolean plausible(DirectBuffer buffer, int offset, int length);
    }

    /** RFC 7016 §2.2.4 structure: flags (mode 1..3), optional timestamps, whole chunks, then only 0xFF padding. */
    public static final PacketCheck RTMFP_STRUCTURE = KeyLogDecryptor::plausibleRtmfpPacket;

    private static final int[] HMAC_LENGTH_ORDER = hmacLengthOrder();

    private final Map<Integer, List<KeyLog.Entry>> bySession = new HashMap<>();
    private final Map<KeyLog.Entry, PacketProtection[]> protections = new IdentityHashMap<>();
    private PacketProtection[] defaultProtection = null;
    private final Map<KeyLog.Entry, HmacSha256> macs = new IdentityHashMap<>();
    private final PacketCheck check;
    private final PacketProtection.Scratch scratch = new PacketProtection.Scratch();
    private final byte[] mac = new byte[HmacSha256.LENGTH];
    private byte[] original = new byte[0];

    private KeyLog.Entry entry;
    private int hmacLength;
    private boolean sequenceNumbers;
    private long sequenceNumber;
    private int packetOffset;
    private boolean verifiedPlausible;

    /**
     * @param entries key log entries.
     */
    public KeyLogDecryptor(final List<KeyLog.Entry> entries)
    {
        this(entries, RTMFP_STRUCTURE);
    }

    /**
     * @param entries key log entries.
     * @param check   decides between framings that verify equally.
     */
    public KeyLogDecryptor(final List<KeyLog.Entry> entries, final PacketCheck check)
    {
        for (final KeyLog.Entry e : entries)
        {
            bySession.computeIfAbsent(e.sessionId(), (k) -> new ArrayList<>()).add(e);
        }
        this.check = check;
    }

    /**
     * Decrypt a datagram in place with whichever key verifies it.
     *
     * @param buffer holding the datagram.
     * @param offset of the datagram.
     * @param length of the datagram.
     * @return the packet length (at {@link #packetOffset()}), or {@link #NO_KEY} / {@link #TOO_SHORT}, in which case
     * the buffer is left as it was.
     */
    public int decrypt(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (!capture(buffer, offset, length))
        {
            return TOO_SHORT;
        }
        final int sessionId = (int)Multiplex.sessionId(buffer, offset, length);

        int fallback = NO_KEY;
        KeyLog.Entry fallbackEntry = null;
        int fallbackHmac = 0;
        boolean fallbackSequence = false;
        final List<KeyLog.Entry> candidates = bySession.getOrDefault(sessionId, List.of());
        for (int c = 0; c <= candidates.size(); c++)
        {
            final KeyLog.Entry candidate = c < candidates.size() ? candidates.get(c) : null;
            final byte[] hmacKey = null == candidate ? null : candidate.hmacKeyInternal();
            for (int l = 0; l < (null == hmacKey ? 1 : HMAC_LENGTH_ORDER.length); l++)
            {
                final int macLength = null == hmacKey ? 0 : HMAC_LENGTH_ORDER[l];
                if (0 != macLength && !hmacVerifies(candidate, macLength, length))
                {
                    continue;
                }
                for (int s = 0; s < (null == candidate ? 1 : 2); s++)
                {
                    final boolean sequence = 0 == s && null != candidate;
                    final int rc = attempt(buffer, offset, length, candidate, macLength, sequence);
                    if (rc >= 0)
                    {
                        if (check.plausible(buffer, packetOffset, rc))
                        {
                            return rc;
                        }
                        if (NO_KEY == fallback)
                        {
                            fallback = rc;
                            fallbackEntry = candidate;
                            fallbackHmac = macLength;
                            fallbackSequence = sequence;
                        }
                    }
                }
            }
        }
        if (NO_KEY != fallback)
        {
            final int rc = attempt(buffer, offset, length, fallbackEntry, fallbackHmac, fallbackSequence);
            verifiedPlausible = false;
            return rc;
        }
        buffer.putBytes(offset, original, 0, length);
        return NO_KEY;
    }

    /**
     * Decrypt a datagram in place with one framing only (as negotiated by the session's keying chunks), trying every
     * key-log entry of its session ID: the first that verifies with that framing and passes the {@link PacketCheck}
     * wins. The default key is not tried.
     *
     * @param buffer          holding the datagram.
     * @param offset          of the datagram.
     * @param length          of the datagram.
     * @param macLength       HMAC length, 0 for the checksum (entries without an HMAC key).
     * @param sequence        whether a session sequence number follows the header.
     * @return the packet length (at {@link #packetOffset()}), or {@link #NO_KEY} / {@link #TOO_SHORT}, in which case
     * the buffer is left as it was.
     */
    public int decrypt(
        final MutableDirectBuffer buffer,
        final int offset,
        final int length,
        final int macLength,
        final boolean sequence)
    {
        if (macLength < 0 || macLength > DirectionKeys.MAX_HMAC_LENGTH ||
            (0 != macLength && macLength < DirectionKeys.MIN_HMAC_LENGTH))
        {
            throw new IllegalArgumentException("HMAC length " + macLength);
        }
        if (!capture(buffer, offset, length))
        {
            return TOO_SHORT;
        }
        final int sessionId = (int)Multiplex.sessionId(buffer, offset, length);
        for (final KeyLog.Entry candidate : bySession.getOrDefault(sessionId, List.of()))
        {
            if ((null == candidate.hmacKeyInternal()) != (0 == macLength) ||
                (0 != macLength && !hmacVerifies(candidate, macLength, length)))
            {
                continue;
            }
            final int rc = attempt(buffer, offset, length, candidate, macLength, sequence);
            if (rc >= 0 && check.plausible(buffer, packetOffset, rc))
            {
                return rc;
            }
        }
        buffer.putBytes(offset, original, 0, length);
        return NO_KEY;
    }

    private boolean capture(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (length < Multiplex.SESSION_ID_LENGTH + Aes128Cbc.BLOCK || offset < 0 || offset > buffer.capacity() - length)
        {
            return false;
        }
        if (original.length < length)
        {
            original = new byte[length];
        }
        buffer.getBytes(offset, original, 0, length);
        return true;
    }

    private int attempt(
        final MutableDirectBuffer buffer,
        final int offset,
        final int length,
        final KeyLog.Entry candidate,
        final int macLength,
        final boolean sequence)
    {
        buffer.putBytes(offset, original, 0, length);
        final PacketProtection protection = protection(candidate, macLength, sequence);
        protection.replayWindow().reset();
        final int rc = protection.decrypt(buffer, offset, length);
        if (rc >= 0)
        {
            entry = candidate;
            hmacLength = macLength;
            sequenceNumbers = sequence;
            sequenceNumber = protection.sequenceNumber();
            packetOffset = protection.packetOffset();
            verifiedPlausible = true;
        }
        return rc;
    }

    private boolean hmacVerifies(final KeyLog.Entry candidate, final int macLength, final int length)
    {
        final int cipherLength = length - Multiplex.SESSION_ID_LENGTH - macLength;
        if (cipherLength < Aes128Cbc.BLOCK || (cipherLength & (Aes128Cbc.BLOCK - 1)) != 0)
        {
            return false;
        }
        final HmacSha256 hmac = macs.computeIfAbsent(candidate, (e) -> new HmacSha256(e.hmacKeyInternal()));
        hmac.update(original, Multiplex.SESSION_ID_LENGTH, cipherLength);
        hmac.doFinal(mac, 0);
        int diff = 0;
        for (int i = 0; i < macLength; i++)
        {
            diff |= mac[i] ^ original[Multiplex.SESSION_ID_LENGTH + cipherLength + i];
        }
        return 0 == diff;
    }

    private PacketProtection protection(final KeyLog.Entry candidate, final int macLength, final boolean sequence)
    {
        if (null == candidate)
        {
            if (null == defaultProtection)
            {
                defaultProtection = new PacketProtection[]{ PacketProtection.defaultKey() };
            }
            return defaultProtection[0];
        }
        final PacketProtection[] byFraming = protections.computeIfAbsent(
            candidate, (e) -> new PacketProtection[2 * (DirectionKeys.MAX_HMAC_LENGTH + 1)]);
        final int index = 2 * macLength + (sequence ? 1 : 0);
        if (null == byFraming[index])
        {
            final DirectionKeys keys = new DirectionKeys(
                candidate.aesKeyInternal(), candidate.hmacKeyInternal(), macLength, sequence);
            byFraming[index] = new PacketProtection(keys, keys, scratch);
        }
        return byFraming[index];
    }

    /**
     * @return the key-log entry that decrypted the last datagram, null for the default key.
     */
    public KeyLog.Entry entry()
    {
        return entry;
    }

    /**
     * @return HMAC length of the last datagram, 0 for the checksum.
     */
    public int hmacLength()
    {
        return hmacLength;
    }

    /**
     * @return whether the last datagram carried a session sequence number.
     */
    public boolean sequenceNumbers()
    {
        return sequenceNumbers;
    }

    /**
     * @return its session sequence number, -1 when none.
     */
    public long sequenceNumber()
    {
        return sequenceNumber;
    }

    /**
     * @return offset of the decrypted RTMFP packet.
     */
    public int packetOffset()
    {
        return packetOffset;
    }

    /**
     * @return false when the datagram verified but no framing passed the {@link PacketCheck}.
     */
    public boolean plausible()
    {
        return verifiedPlausible;
    }

    /**
     * RFC 7016 §2.2.4 shape check.
     *
     * @param buffer holding the packet.
     * @param offset of its flags byte.
     * @param length to the end of the padding.
     * @return true when the flags, timestamps and chunks fit exactly, followed only by 0xFF padding.
     */
    public static boolean plausibleRtmfpPacket(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1)
        {
            return false;
        }
        final int flags = buffer.getByte(offset) & 0xFF;
        if (0 == (flags & 0x03) || 0 != (flags & 0x30))
        {
            return false;
        }
        int position = offset + 1 + ((flags & 0x08) != 0 ? 2 : 0) + ((flags & 0x04) != 0 ? 2 : 0);
        final int end = offset + length;
        if (position > end)
        {
            return false;
        }
        while (position < end)
        {
            final int type = buffer.getByte(position) & 0xFF;
            if (0xFF == type)
            {
                for (int i = position; i < end; i++)
                {
                    if ((byte)0xFF != buffer.getByte(i))
                    {
                        return false;
                    }
                }
                return true;
            }
            if (position + 3 > end)
            {
                return false;
            }
            final int chunkLength = buffer.getShort(position + 1, BIG_ENDIAN) & 0xFFFF;
            position += 3 + chunkLength;
        }
        return position == end;
    }

    private static int[] hmacLengthOrder()
    {
        final int[] order = new int[DirectionKeys.MAX_HMAC_LENGTH - DirectionKeys.MIN_HMAC_LENGTH + 1];
        int n = 0;
        order[n++] = DirectionKeys.DEFAULT_HMAC_LENGTH;
        order[n++] = 10;
        for (int l = DirectionKeys.MIN_HMAC_LENGTH; l <= DirectionKeys.MAX_HMAC_LENGTH; l++)
        {
            if (l != DirectionKeys.DEFAULT_HMAC_LENGTH && l != 10)
            {
                order[n++] = l;
            }
        }
        return order;
    }
}
