package io.flowcast.codec;

import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OptionFlyweightTest
{
    private final OptionFlyweight options = new OptionFlyweight();

    @Test
    void readsTheGoldenResponderCertificate()
    {
        // tcserver's certificate: accepts-ancillary-data, three supported groups, 64 bytes of extra randomness
        final String hex = GoldenSession.keys().get("sessions").get(0).get("responder_certificate_hex").asText();
        final UnsafeBuffer buffer = new UnsafeBuffer(GoldenSession.hex(hex));

        options.wrap(buffer, 0, buffer.capacity(), false);
        final long[] types = new long[5];
        final int[] lengths = new int[5];
        int count = 0;
        while (options.next() == OptionFlyweight.OPTION)
        {
            types[count] = options.type();
            lengths[count++] = options.valueLength();
        }
        assertThat(count).isEqualTo(5);
        assertThat(types).containsExactly(0x0a, 0x15, 0x15, 0x15, 0x0e);
        assertThat(lengths).containsExactly(0, 1, 1, 1, 64);
        assertThat(options.next()).isEqualTo(OptionFlyweight.END);
    }

    @Test
    void markerEndsUserDataOptions()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        int offset = OptionFlyweight.encode(buffer, 0, 0x0a, new UnsafeBuffer(new byte[]{ 2 }), 0, 1);
        offset += OptionFlyweight.encodeMarker(buffer, offset);
        buffer.putByte(offset, (byte)0x14);

        options.wrap(buffer, 0, 32, true);
        assertThat(options.next()).isEqualTo(OptionFlyweight.OPTION);
        assertThat(options.type()).isEqualTo(0x0a);
        assertThat(buffer.getByte(options.valueOffset())).isEqualTo((byte)2);
        assertThat(options.next()).isEqualTo(OptionFlyweight.END);
        assertThat(options.position()).isEqualTo(offset);
    }

    @Test
    void refusesLengthsThatLie()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[]{ 0x05, 0x0a, 0x01 });
        assertThat(options.wrap(buffer, 0, 3, false).next()).isEqualTo(OptionFlyweight.ERROR_LENGTH);

        final UnsafeBuffer truncatedType = new UnsafeBuffer(new byte[]{ 0x01, (byte)0x8a });
        assertThat(options.wrap(truncatedType, 0, 2, false).next()).isEqualTo(OptionFlyweight.ERROR_MALFORMED);

        final UnsafeBuffer truncatedLength = new UnsafeBuffer(new byte[]{ (byte)0x81 });
        assertThat(options.wrap(truncatedLength, 0, 1, false).next()).isEqualTo(OptionFlyweight.ERROR_MALFORMED);
    }

    @Test
    void encodedLengthMatchesWhatIsWritten()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[300]);
        final UnsafeBuffer value = new UnsafeBuffer(new byte[200]);
        assertThat(OptionFlyweight.encode(buffer, 0, 0x1d, value, 0, 200))
            .isEqualTo(OptionFlyweight.encodedLength(0x1d, 200))
            .isEqualTo(2 + 1 + 200);
    }
}
