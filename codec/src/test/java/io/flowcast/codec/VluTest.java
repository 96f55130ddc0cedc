package io.flowcast.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class VluTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);

    @Test
    void encodesTheRfcExamples()
    {
        // RFC 7016 §2.1.2: 0 -> 00, 127 -> 7f, 128 -> 81 00, 16383 -> ff 7f, 16384 -> 81 80 00
        assertEncoding(0, 0x00);
        assertEncoding(127, 0x7f);
        assertEncoding(128, 0x81, 0x00);
        assertEncoding(16383, 0xff, 0x7f);
        assertEncoding(16384, 0x81, 0x80, 0x00);
    }

    @Test
    void roundTripsRandomAndEdgeValues()
    {
        final SplittableRandom random = new SplittableRandom(7016);
        final long[] edges = { 0, 1, 127, 128, Long.MAX_VALUE, -1L, Long.MIN_VALUE, 1L << 56, (1L << 63) - 1 };
        for (final long value : edges)
        {
            assertRoundTrip(value);
        }
        for (int i = 0; i < 100_000; i++)
        {
            assertRoundTrip(random.nextLong() >>> random.nextInt(64));
        }
    }

    @Test
    void maximumValueTakesTenBytes()
    {
        assertThat(Vlu.encodedLength(-1L)).isEqualTo(Vlu.MAX_LENGTH);
        assertThat(Vlu.encode(buffer, 0, -1L)).isEqualTo(10);
        assertThat(buffer.getByte(0) & 0xFF).isEqualTo(0x81);
    }

    @Test
    void refusesTruncation()
    {
        buffer.putByte(0, (byte)0x81);
        buffer.putByte(1, (byte)0x80);
        assertThat(Vlu.length(buffer, 0, 2)).isEqualTo(Vlu.ERROR_TRUNCATED);
        assertThat(Vlu.length(buffer, 0, 0)).isEqualTo(Vlu.ERROR_TRUNCATED);
    }

    @Test
    void refusesMoreThanSixtyFourBits()
    {
        // 0x82 then nine continuation digits: 2 << 63 does not fit in 64 bits
        buffer.putByte(0, (byte)0x82);
        for (int i = 1; i < 9; i++)
        {
            buffer.putByte(i, (byte)0x80);
        }
        buffer.putByte(9, (byte)0x00);
        assertThat(Vlu.length(buffer, 0, 16)).isEqualTo(Vlu.ERROR_OVERFLOW);

        // eleven digits are always too many unless the leading ones are zero
        for (int i = 0; i < 10; i++)
        {
            buffer.putByte(i, (byte)0xff);
        }
        buffer.putByte(10, (byte)0x7f);
        assertThat(Vlu.length(buffer, 0, 16)).isEqualTo(Vlu.ERROR_OVERFLOW);
    }

    @Test
    void acceptsRedundantLeadingZeroDigits()
    {
        buffer.putByte(0, (byte)0x80);
        buffer.putByte(1, (byte)0x05);
        assertThat(Vlu.length(buffer, 0, 2)).isEqualTo(2);
        assertThat(Vlu.value(buffer, 0)).isEqualTo(5);
    }

    private void assertEncoding(final long value, final int... bytes)
    {
        assertThat(Vlu.encode(buffer, 0, value)).isEqualTo(bytes.length);
        for (int i = 0; i < bytes.length; i++)
        {
            assertThat(buffer.getByte(i) & 0xFF).as("byte %d of %d", i, value).isEqualTo(bytes[i]);
        }
        assertThat(Vlu.length(buffer, 0, bytes.length)).isEqualTo(bytes.length);
        assertThat(Vlu.value(buffer, 0)).isEqualTo(value);
    }

    private void assertRoundTrip(final long value)
    {
        final int length = Vlu.encode(buffer, 3, value);
        assertThat(length).isEqualTo(Vlu.encodedLength(value));
        assertThat(Vlu.length(buffer, 3, 3 + length)).isEqualTo(length);
        assertThat(Vlu.value(buffer, 3)).isEqualTo(value);
    }
}
