package io.flowcast.crypto;

import io.flowcast.codec.rtmfp.Multiplex;

import io.flowcast.codec.Vlu;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Packet protection of one session, both directions, in place over the buffer that holds the datagram
 * (RFC 7425 profile, notes §4.2–§4.5):
 *
 * <pre>
 *   datagram  = scrambled session ID (4, left to the caller) | ciphertext (16n) | [HMAC (L)]
 *   plaintext = [SSEQ VLU] | [checksum (2), only without HMAC] | RTMFP packet | 0xFF padding to 16n
 * </pre>
 *
 * Sending: write the RTMFP packet at {@link #packetOffset(int) packetOffset(datagramOffset)}, call
 * {@link #encrypt(MutableDirectBuffer, int, int)}, then write the scrambled session ID (see
 * {@code Multiplex}). The buffer needs {@link #MAX_OVERHEAD} spare bytes after the packet.
 * <p>
 * Receiving: {@link #decrypt(MutableDirectBuffer, int, int)} returns the RTMFP packet length (padding included)
 * and sets {@link #packetOffset()} and {@link #sequenceNumber()}, or returns a negative reason code; the caller
 * drops the datagram and counts the reason. Nothing is allocated per packet. Not thread-safe: one instance per
 * session, used by its agent thread.
 */
public final class PacketProtection
{
    /** The datagram is too short, not a whole number of blocks after the HMAC, or exceeds the limits. */
    public static final int BAD_LENGTH = -1;
    /** The HMAC does not match the ciphertext. */
    public static final int BAD_HMAC = -2;
    /** The checksum does not match. */
    public static final int BAD_CHECKSUM = -3;
    /** The session sequence number VLU is malformed. */
    public static final int BAD_SEQUENCE_NUMBER = -4;
    /** The session sequence number was accepted before. */
    public static final int REPLAYED_SEQUENCE = -5;
    /** The session sequence number is below the replay window. */
    public static final int TOO_OLD_SEQUENCE = -6;
    /** {@link #encrypt}: the buffer cannot hold the padding and HMAC. */
    public static final int NO_CAPACITY = -7;

    /** Largest datagram handled (bigger ones are {@link #BAD_LENGTH}); RTMFP packets stay below the path MTU. */
    public static final int MAX_DATAGRAM_LENGTH = 8192;
    /** Most bytes a packet grows by: sequence number VLU, checksum, 15 bytes of padding, 32 bytes of HMAC. */
    public static final int MAX_OVERHEAD = Vlu.MAX_LENGTH + Checksum.LENGTH + Aes128Cbc.BLOCK - 1 +
        DirectionKeys.MAX_HMAC_LENGTH;

    private static final byte PAD = (byte)0xFF;

    private final DirectionKeys sendKeys;
    private final DirectionKeys receiveKeys;
    private final Aes128Cbc encryptor;
    private final Aes128Cbc decryptor;
    private final HmacSha256 sendMac;
    private final HmacSha256 receiveMac;
    private final ReplayWindow replayWindow = new ReplayWindow();
    private final byte[] scratchIn;
    private final byte[] scratchOut;
    private final byte[] macOut = new byte[HmacSha256.LENGTH];

    private long nextSendSequence;
    private int packetOffset;
    private long sequenceNumber = -1;

    /**
     * @param sendKeys    protection of what this end sends.
     * @param receiveKeys protection of what this end receives.
     */
    public PacketProtection(final DirectionKeys sendKeys, final DirectionKeys receiveKeys)
    {
        this(sendKeys, receiveKeys, new Scratch());
    }

    /**
     * @param sendKeys    protection of what this end sends.
     * @param receiveKeys protection of what this end receives.
     * @param scratch     work arrays, shareable by every session of one thread (saves ~17 KB per session).
     */
    public PacketProtection(final DirectionKeys sendKeys, final DirectionKeys receiveKeys, final Scratch scratch)
    {
        this.scratchIn = scratch.in;
        this.scratchOut = scratch.out;
        this.sendKeys = sendKeys;
        this.receiveKeys = receiveKeys;
        encryptor = new Aes128Cbc(sendKeys.aesKeyInternal(), true);
        decryptor = new Aes128Cbc(receiveKeys.aesKeyInternal(), false);
        sendMac = sendKeys.hmac() ? new HmacSha256(sendKeys.hmacKeyInternal(), scratch.mac) : null;
        receiveMac = receiveKeys.hmac() ? new HmacSha256(receiveKeys.hmacKeyInternal(), scratch.mac) : null;
    }

    /**
     * Work arrays for the CBC pass (JCE copies overlapping input, so ciphertext and plaintext never share memory).
     * One per thread: every {@link PacketProtection} used by that thread may share it.
     */
    public static final class Scratch
    {
        final byte[] in = new byte[MAX_DATAGRAM_LENGTH];
        final byte[] out = new byte[MAX_DATAGRAM_LENGTH];
        final byte[] mac = new byte[HmacSha256.WORK_LENGTH];
    }

    /**
     * @return protection with the default session key both ways (§4.1), for startup packets and RIKeying.
     */
    public static PacketProtection defaultKey()
    {
        return new PacketProtection(DirectionKeys.DEFAULT, DirectionKeys.DEFAULT);
    }

    /**
     * @return the keys of the send direction.
     */
    public DirectionKeys sendKeys()
    {
        return sendKeys;
    }

    /**
     * @return the keys of the receive direction.
     */
    public DirectionKeys receiveKeys()
    {
        return receiveKeys;
    }

    /**
     * @param datagramOffset where the datagram (its scrambled session ID) starts.
     * @return where the caller writes the RTMFP packet of the next {@link #encrypt}.
     */
    public int packetOffset(final int datagramOffset)
    {
        return datagramOffset + Multiplex.SESSION_ID_LENGTH + sendPrefixLength();
    }

    /**
     * @return the session sequence number the next packet will carry (when the send direction uses them).
     */
    public long nextSendSequence()
    {
        return nextSendSequence;
    }

    /**
     * @param sequence the session sequence number for the next packet (tests; a sender never reuses one).
     */
    public void nextSendSequence(final long sequence)
    {
        nextSendSequence = sequence;
    }

    /**
     * Protect a packet in place.
     *
     * @param buffer         holding the datagram; the RTMFP packet is at {@link #packetOffset(int)}.
     * @param datagramOffset where the datagram starts (4 bytes reserved for the scrambled session ID).
     * @param packetLength   length of the RTMFP packet.
     * @return the datagram length (session ID, ciphertext, HMAC), or {@link #NO_CAPACITY} / {@link #BAD_LENGTH}.
     */
    public int encrypt(final MutableDirectBuffer buffer, final int datagramOffset, final int packetLength)
    {
        final boolean hmac = sendKeys.hmac();
        final int start = datagramOffset + Multiplex.SESSION_ID_LENGTH;
        final int sequenceLength = sendKeys.sequenceNumbers() ? Vlu.encodedLength(nextSendSequence) : 0;
        final int checksumLength = hmac ? 0 : Checksum.LENGTH;
        final int plainLength = sequenceLength + checksumLength + packetLength;
        final int paddedLength = (plainLength + Aes128Cbc.BLOCK - 1) & -Aes128Cbc.BLOCK;
        final int macLength = sendKeys.hmacLength();
        final int datagramLength = Multiplex.SESSION_ID_LENGTH + paddedLength + macLength;
        if (packetLength < 0 || datagramLength > MAX_DATAGRAM_LENGTH)
        {
            return BAD_LENGTH;
        }
        if (datagramOffset < 0 || datagramOffset + datagramLength > buffer.capacity())
        {
            return NO_CAPACITY;
        }

        if (0 != sequenceLength)
        {
            Vlu.encode(buffer, start, nextSendSequence++);
        }
        buffer.setMemory(start + plainLength, paddedLength - plainLength, PAD);
        if (!hmac)
        {
            final int covered = start + sequenceLength + Checksum.LENGTH;
            final int sum = Checksum.compute(buffer, covered, start + paddedLength - covered);
            buffer.putShort(start + sequenceLength, (short)sum, BIG_ENDIAN);
        }

        buffer.getBytes(start, scratchIn, 0, paddedLength);
        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            final int arrayOffset = (int)buffer.wrapAdjustment() + start;
            encryptor.process(scratchIn, 0, paddedLength, array, arrayOffset);
            if (hmac)
            {
                sendMac.update(array, arrayOffset, paddedLength);
            }
        }
        else
        {
            encryptor.process(scratchIn, 0, paddedLength, scratchOut, 0);
            buffer.putBytes(start, scratchOut, 0, paddedLength);
            if (hmac)
            {
                sendMac.update(scratchOut, 0, paddedLength);
            }
        }
        if (hmac)
        {
            sendMac.doFinal(macOut, 0);
            buffer.putBytes(start + paddedLength, macOut, 0, macLength);
        }
        return datagramLength;
    }

    /**
     * Verify and decrypt a datagram in place.
     *
     * @param buffer         holding the datagram.
     * @param datagramOffset where it starts (its scrambled session ID).
     * @param datagramLength its length.
     * @return the RTMFP packet length (at {@link #packetOffset()}, padding included), or a negative reason code.
     */
    public int decrypt(final MutableDirectBuffer buffer, final int datagramOffset, final int datagramLength)
    {
        final int macLength = receiveKeys.hmacLength();
        final int cipherLength = datagramLength - Multiplex.SESSION_ID_LENGTH - macLength;
        if (cipherLength < Aes128Cbc.BLOCK || (cipherLength & (Aes128Cbc.BLOCK - 1)) != 0 ||
            datagramLength > MAX_DATAGRAM_LENGTH || datagramOffset < 0 ||
            datagramOffset > buffer.capacity() - datagramLength)
        {
            return BAD_LENGTH;
        }
        final int start = datagramOffset + Multiplex.SESSION_ID_LENGTH;
        final int end = start + cipherLength;

        buffer.getBytes(start, scratchIn, 0, cipherLength);
        if (0 != macLength)
        {
            receiveMac.update(scratchIn, 0, cipherLength);
            receiveMac.doFinal(macOut, 0);
            int diff = 0;
            for (int i = 0; i < macLength; i++)
            {
                diff |= macOut[i] ^ buffer.getByte(end + i);
            }
            if (0 != diff)
            {
                return BAD_HMAC;
            }
        }

        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            decryptor.process(scratchIn, 0, cipherLength, array, (int)buffer.wrapAdjustment() + start);
        }
        else
        {
            decryptor.process(scratchIn, 0, cipherLength, scratchOut, 0);
            buffer.putBytes(start, scratchOut, 0, cipherLength);
        }

        int position = start;
        long sequence = -1;
        if (receiveKeys.sequenceNumbers())
        {
            final int sequenceLength = Vlu.length(buffer, position, end);
            if (sequenceLength < 0)
            {
                return BAD_SEQUENCE_NUMBER;
            }
            sequence = Vlu.value(buffer, position);
            final int state = replayWindow.check(sequence);
            if (ReplayWindow.REPLAYED == state)
            {
                return REPLAYED_SEQUENCE;
            }
            if (ReplayWindow.TOO_OLD == state)
            {
                return TOO_OLD_SEQUENCE;
            }
            position += sequenceLength;
        }
        if (0 == macLength)
        {
            if (position + Checksum.LENGTH > end)
            {
                return BAD_LENGTH;
            }
            final int expected = buffer.getShort(position, BIG_ENDIAN) & 0xFFFF;
            position += Checksum.LENGTH;
            if (expected != Checksum.compute(buffer, position, end - position))
            {
                return BAD_CHECKSUM;
            }
        }
        if (sequence >= 0)
        {
            replayWindow.accept(sequence);
        }
        sequenceNumber = sequence;
        packetOffset = position;
        return end - position;
    }

    /**
     * @return offset of the RTMFP packet after a successful {@link #decrypt}.
     */
    public int packetOffset()
    {
        return packetOffset;
    }

    /**
     * @return the session sequence number of the last decrypted packet, -1 when the direction has none.
     */
    public long sequenceNumber()
    {
        return sequenceNumber;
    }

    /**
     * @return the receive replay window.
     */
    public ReplayWindow replayWindow()
    {
        return replayWindow;
    }

    /**
     * @param reason a negative code from {@link #decrypt} or {@link #encrypt}.
     * @return its name, for counters and logs.
     */
    public static String reasonName(final int reason)
    {
        switch (reason)
        {
            case BAD_LENGTH: return "BAD_LENGTH";
            case BAD_HMAC: return "BAD_HMAC";
            case BAD_CHECKSUM: return "BAD_CHECKSUM";
            case BAD_SEQUENCE_NUMBER: return "BAD_SEQUENCE_NUMBER";
            case REPLAYED_SEQUENCE: return "REPLAYED_SEQUENCE";
            case TOO_OLD_SEQUENCE: return "TOO_OLD_SEQUENCE";
            case NO_CAPACITY: return "NO_CAPACITY";
            default: return reason >= 0 ? "OK" : "UNKNOWN(" + reason + ")";
        }
    }

    private int sendPrefixLength()
    {
        return (sendKeys.sequenceNumbers() ? Vlu.encodedLength(nextSendSequence) : 0) +
            (sendKeys.hmac() ? 0 : Checksum.LENGTH);
    }
}
