package io.flowcast.crypto;

import io.flowcast.codec.rtmfp.Multiplex;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.flowcast.codec.golden.GoldenSession.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vectors of notes §9 and every refusal with its own reason.
 */
class PacketProtectionTest
{
    private static final byte[] I2R_AES = hex("3b10e5726a799e70c3b22dc3de6ffac4");
    private static final byte[] I2R_HMAC = hex("dad0d581b5363bb4367a522322b3ddfa3cce51925e1c9ed767113d8701f2ddec");

    @Test
    void checksumVectorsUseTheUnshiftedOddByte()
    {
        assertThat(Checksum.compute(new UnsafeBuffer(hex("010203")), 0, 3)).isEqualTo(0xFEFA);
        assertThat(Checksum.compute(new UnsafeBuffer(hex("01020304")), 0, 4)).isEqualTo(0xFBF9);
        final byte[] longer = new byte[37];
        for (int i = 0; i < longer.length; i++)
        {
            longer[i] = (byte)(i * 37 + 11);
        }
        assertThat(Checksum.compute(new UnsafeBuffer(longer), 0, longer.length)).isEqualTo(naiveChecksum(longer));
    }

    @Test
    void ihelloVectorUnderTheDefaultKey()
    {
        final byte[] packet = hex("0b123430002a19180a72746d66703a2f2f6578616d706c652e636f6d2f617070" +
            "000102030405060708090a0b0c0d0e0f");
        final PacketProtection protection = PacketProtection.defaultKey();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[200]);
        buffer.putBytes(protection.packetOffset(0), packet);
        final int length = protection.encrypt(buffer, 0, packet.length);
        Multiplex.scramble(buffer, 0, length, 0);
        assertThat(hex(bytes(buffer, 0, length))).isEqualTo(
            "e32963fcaf9de7cf4cb484334925f02e4765f214f9ec4d5c1c066f8ac025fa5489aa32bd" +
            "d08fed4403a3c332cb69b0ee5b26ae9e936d7f0005439d1dc31f65208cb2d6a3");
        assertThat(protection.decrypt(buffer, 0, length)).isEqualTo(62);
        assertThat(buffer.getShort(4, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF).isEqualTo(0x907d);
    }

    @Test
    void inSessionVectorWithSequenceNumberAndTenByteHmac()
    {
        final DirectionKeys keys = new DirectionKeys(I2R_AES, I2R_HMAC, 10, true);
        final PacketProtection protection = new PacketProtection(keys, keys);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);
        buffer.putBytes(protection.packetOffset(0), hex("090001010000"));
        final int length = protection.encrypt(buffer, 0, 6);
        Multiplex.scramble(buffer, 0, length, 0x01020304);
        assertThat(hex(bytes(buffer, 0, length))).isEqualTo("ffd26d226cd9159092097bb6b6b327d78c9028dd3d01c7550e2f70a3dd6f");
        assertThat((int)Multiplex.sessionId(buffer, 0, length)).isEqualTo(0x01020304);
        assertThat(protection.decrypt(buffer, 0, length)).isEqualTo(15);
        assertThat(protection.sequenceNumber()).isZero();
    }

    @Test
    void flippedBitInCiphertextOrMacIsBadHmac()
    {
        final DirectionKeys keys = new DirectionKeys(I2R_AES, I2R_HMAC, 16, true);
        for (int bit = 0; bit < (48 + 16) * 8; bit += 7)
        {
            final PacketProtection protection = new PacketProtection(keys, keys);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[200]);
            final int length = seal(protection, buffer, 40);
            final int index = 4 + bit / 8;
            buffer.putByte(index, (byte)(buffer.getByte(index) ^ (1 << (bit & 7))));
            assertThat(protection.decrypt(buffer, 0, length)).as("bit %d", bit).isEqualTo(PacketProtection.BAD_HMAC);
        }
    }

    @Test
    void flippedBitUnderChecksumIsBadChecksum()
    {
        final DirectionKeys keys = new DirectionKeys(I2R_AES, null, 0, false);
        final PacketProtection protection = new PacketProtection(keys, keys);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[200]);
        final int length = seal(protection, buffer, 40);
        // Last ciphertext block: CBC garbles that block only, which the checksum covers.
        buffer.putByte(length - 3, (byte)(buffer.getByte(length - 3) ^ 0x10));
        assertThat(protection.decrypt(buffer, 0, length)).isEqualTo(PacketProtection.BAD_CHECKSUM);
    }

    @Test
    void checksumWithOddLengthSequenceNumberRoundTrips()
    {
        final DirectionKeys keys = new DirectionKeys(I2R_AES, null, 0, true);
        final PacketProtection sender = new PacketProtection(keys, keys);
        final PacketProtection receiver = new PacketProtection(keys, keys);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[300]);
        for (int i = 0; i < 200; i++)
        {
            final int length = seal(sender, buffer, 13 + i % 40);
            assertThat(receiver.decrypt(buffer, 0, length)).isEqualTo(roundUp(Vlu1or2(i) + 2 + 13 + i % 40) -
                Vlu1or2(i) - 2);
            assertThat(receiver.sequenceNumber()).isEqualTo(i);
        }
    }

    @Test
    void replayedAndTooOldSequenceNumbersAreRefused()
    {
        final DirectionKeys keys = new DirectionKeys(I2R_AES, I2R_HMAC, 16, true);
        final PacketProtection sender = new PacketProtection(keys, keys);
        final PacketProtection receiver = new PacketProtection(keys, keys);
        final UnsafeBuffer first = new UnsafeBuffer(new byte[200]);
        final int firstLength = seal(sender, first, 20);
        final byte[] firstCopy = bytes(first, 0, firstLength);
        assertThat(receiver.decrypt(first, 0, firstLength)).isPositive();
        assertThat(receiver.decrypt(new UnsafeBuffer(firstCopy.clone()), 0, firstLength))
            .isEqualTo(PacketProtection.REPLAYED_SEQUENCE);

        sender.nextSendSequence(100);
        final UnsafeBuffer later = new UnsafeBuffer(new byte[200]);
        assertThat(receiver.decrypt(later, 0, seal(sender, later, 20))).isPositive();

        sender.nextSendSequence(90); // within the window, not seen: accepted out of order
        final UnsafeBuffer reordered = new UnsafeBuffer(new byte[200]);
        assertThat(receiver.decrypt(reordered, 0, seal(sender, reordered, 20))).isPositive();

        sender.nextSendSequence(100 - ReplayWindow.WINDOW);
        final UnsafeBuffer old = new UnsafeBuffer(new byte[200]);
        assertThat(receiver.decrypt(old, 0, seal(sender, old, 20))).isEqualTo(PacketProtection.TOO_OLD_SEQUENCE);
        assertThat(receiver.decrypt(new UnsafeBuffer(firstCopy), 0, firstLength))
            .isEqualTo(PacketProtection.TOO_OLD_SEQUENCE);
    }

    @Test
    void badLengthsAreRefusedWithoutReadingPastTheBuffer()
    {
        final DirectionKeys keys = new DirectionKeys(I2R_AES, I2R_HMAC, 16, true);
        final PacketProtection receiver = new PacketProtection(keys, keys);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertThat(receiver.decrypt(buffer, 0, 4 + 16)).isEqualTo(PacketProtection.BAD_LENGTH);
        assertThat(receiver.decrypt(buffer, 0, 4 + 17 + 16)).isEqualTo(PacketProtection.BAD_LENGTH);
        assertThat(receiver.decrypt(buffer, 0, 4 + 48 + 16)).isEqualTo(PacketProtection.BAD_LENGTH);
        assertThat(receiver.decrypt(buffer, 32, 4 + 16 + 16)).isEqualTo(PacketProtection.BAD_LENGTH);
        assertThat(receiver.decrypt(buffer, 0, 4 + 16 + 16)).isEqualTo(PacketProtection.BAD_HMAC);
        assertThat(PacketProtection.defaultKey().encrypt(buffer, 0, 60)).isEqualTo(PacketProtection.NO_CAPACITY);
    }

    @Test
    void malformedSequenceNumberIsRefused()
    {
        final DirectionKeys plain = new DirectionKeys(I2R_AES, I2R_HMAC, 16, false);
        final DirectionKeys sequenced = new DirectionKeys(I2R_AES, I2R_HMAC, 16, true);
        final PacketProtection sender = new PacketProtection(plain, plain);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[200]);
        buffer.setMemory(sender.packetOffset(0), 16, (byte)0x80); // VLU that never ends inside the block
        final int length = sender.encrypt(buffer, 0, 16);
        assertThat(new PacketProtection(sequenced, sequenced).decrypt(buffer, 0, length))
            .isEqualTo(PacketProtection.BAD_SEQUENCE_NUMBER);
    }

    static int seal(final PacketProtection protection, final UnsafeBuffer buffer, final int packetLength)
    {
        final int at = protection.packetOffset(0);
        for (int i = 0; i < packetLength; i++)
        {
            buffer.putByte(at + i, (byte)(i * 31 + 7));
        }
        final int length = protection.encrypt(buffer, 0, packetLength);
        Multiplex.scramble(buffer, 0, length, 0x0A0B0C0D);
        return length;
    }

    private static int Vlu1or2(final int i)
    {
        return i < 128 ? 1 : 2;
    }

    private static int roundUp(final int n)
    {
        return (n + 15) & -16;
    }

    static byte[] bytes(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final byte[] out = new byte[length];
        buffer.getBytes(offset, out);
        return out;
    }

    private static int naiveChecksum(final byte[] b)
    {
        long sum = 0;
        int i = 0;
        for (; i + 1 < b.length; i += 2)
        {
            sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
        }
        if (i < b.length)
        {
            sum += b[i] & 0xFF;
        }
        sum = (sum >> 16) + (sum & 0xFFFF);
        sum += sum >> 16;
        return (int)(~sum & 0xFFFF);
    }
}
