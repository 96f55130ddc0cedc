package io.flowcast.codec.amf;

import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Amf3Test
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final Amf3Writer writer = new Amf3Writer();
    private final Amf3Reader reader = new Amf3Reader();

    private static UnsafeBuffer bytes(final String hex)
    {
        return new UnsafeBuffer(GoldenSession.hex(hex.replaceAll("\\s+", "")));
    }

    private int writeSample()
    {
        writer.wrap(buffer, 0, buffer.capacity())
            .string("connect").integer(1).nul().undefined().bool(true).bool(false)
            .integer(-1).integer(268_435_455).integer(268_435_456).number(0.5)
            .objectBegin()
            .key("app").string("live")
            .key("objectEncoding").integer(3)
            .key("nested").objectBegin().key("deep").string("live").objectEnd()
            .key("list").arrayBegin(2).string("a").integer(300)
            .objectEnd()
            .associativeArrayBegin(1).key("k").nul().objectEnd().number(2)
            .byteArray(new UnsafeBuffer(new byte[] { 1, 2, 3 }), 0, 3);
        assertThat(writer.overflowed()).isFalse();
        return writer.position();
    }

    @Test
    void readsWhatTheWriterWrites()
    {
        final int length = writeSample();
        reader.wrap(buffer, 0, length);
        assertThat(reader.next()).isEqualTo(Amf3.STRING);
        assertThat(reader.string()).isEqualTo("connect");
        assertThat(reader.next()).isEqualTo(Amf3.INTEGER);
        assertThat(reader.integer()).isEqualTo(1);
        assertThat(reader.next()).isEqualTo(Amf3.NULL);
        assertThat(reader.next()).isEqualTo(Amf3.UNDEFINED);
        assertThat(reader.next()).isEqualTo(Amf3.TRUE);
        assertThat(reader.next()).isEqualTo(Amf3.FALSE);
        assertThat(reader.next()).isEqualTo(Amf3.INTEGER);
        assertThat(reader.integer()).isEqualTo(-1);
        assertThat(reader.next()).isEqualTo(Amf3.INTEGER);
        assertThat(reader.integer()).isEqualTo(268_435_455);
        assertThat(reader.next()).isEqualTo(Amf3.DOUBLE); // out of U29 range
        assertThat(reader.number()).isEqualTo(268_435_456.0);
        assertThat(reader.next()).isEqualTo(Amf3.DOUBLE);
        assertThat(reader.next()).isEqualTo(Amf3.OBJECT);
        assertThat(reader.classNameLength()).isZero();
        assertThat(reader.next()).isEqualTo(Amf3.STRING);
        assertThat(reader.keyEquals("app")).isTrue();
        assertThat(reader.stringEquals("live")).isTrue();
        assertThat(reader.next()).isEqualTo(Amf3.INTEGER);
        assertThat(reader.key()).isEqualTo("objectEncoding");
        assertThat(reader.next()).isEqualTo(Amf3.OBJECT);
        assertThat(reader.next()).isEqualTo(Amf3.STRING);
        assertThat(reader.key()).isEqualTo("deep");
        assertThat(reader.next()).isEqualTo(Amf3.OBJECT_END);
        assertThat(reader.next()).isEqualTo(Amf3.ARRAY);
        assertThat(reader.key()).isEqualTo("list");
        assertThat(reader.count()).isEqualTo(2);
        assertThat(reader.next()).isEqualTo(Amf3.STRING);
        assertThat(reader.next()).isEqualTo(Amf3.INTEGER);
        assertThat(reader.integer()).isEqualTo(300);
        assertThat(reader.next()).isEqualTo(Amf3.ARRAY_END);
        assertThat(reader.next()).isEqualTo(Amf3.OBJECT_END);
        assertThat(reader.next()).isEqualTo(Amf3.ARRAY);
        assertThat(reader.next()).isEqualTo(Amf3.NULL);
        assertThat(reader.key()).isEqualTo("k");
        assertThat(reader.next()).isEqualTo(Amf3.DOUBLE);
        assertThat(reader.keyLength()).isEqualTo(-1);
        assertThat(reader.next()).isEqualTo(Amf3.ARRAY_END);
        assertThat(reader.next()).isEqualTo(Amf3.BYTE_ARRAY);
        assertThat(reader.valueLength()).isEqualTo(3);
        assertThat(reader.next()).isEqualTo(Amf3.END);
        assertThat(reader.position()).isEqualTo(length);
    }

    @Test
    void resolvesStringAndTraitReferences()
    {
        // two objects of sealed class "P" {x, y}: the second refers to the first's traits (U29O-traits-ref 0b0001)
        // and to the string "hi" by reference (index 3: "P", "x", "y", "hi")
        final UnsafeBuffer b = bytes(
            "0a 23 03 50 03 78 03 79  04 01  06 05 68 69" +
            "0a 01  04 02  06 06" +
            "0a 00");                                     // a reference to object 0
        reader.wrap(b, 0, b.capacity());
        assertThat(reader.next()).isEqualTo(Amf3.OBJECT);
        assertThat(b.getStringWithoutLengthUtf8(reader.classNameOffset(), reader.classNameLength())).isEqualTo("P");
        assertThat(reader.next()).isEqualTo(Amf3.INTEGER);
        assertThat(reader.key()).isEqualTo("x");
        assertThat(reader.next()).isEqualTo(Amf3.STRING);
        assertThat(reader.key()).isEqualTo("y");
        assertThat(reader.string()).isEqualTo("hi");
        assertThat(reader.next()).isEqualTo(Amf3.OBJECT_END);
        assertThat(reader.next()).isEqualTo(Amf3.OBJECT);
        assertThat(reader.isReference()).isFalse();
        assertThat(reader.next()).isEqualTo(Amf3.INTEGER);
        assertThat(reader.integer()).isEqualTo(2);
        assertThat(reader.next()).isEqualTo(Amf3.STRING);
        assertThat(reader.string()).isEqualTo("hi");
        assertThat(reader.next()).isEqualTo(Amf3.OBJECT_END);
        assertThat(reader.next()).isEqualTo(Amf3.OBJECT);
        assertThat(reader.isReference()).isTrue();
        assertThat(reader.referenceIndex()).isZero();
        assertThat(reader.next()).isEqualTo(Amf3.END);
    }

    @Test
    void refusesWhatItCannotRead()
    {
        assertThat(reader.wrap(bytes("0a 07 07 46 6f 6f"), 0, 6).next()).isEqualTo(Amf3.ERROR_EXTERNALIZABLE);
        assertThat(reader.wrap(bytes("06 02"), 0, 2).next()).isEqualTo(Amf3.ERROR_REFERENCE);
        assertThat(reader.wrap(bytes("0a 04"), 0, 2).next()).isEqualTo(Amf3.ERROR_REFERENCE);
        assertThat(reader.wrap(bytes("0a 05"), 0, 2).next()).isEqualTo(Amf3.ERROR_REFERENCE);
        assertThat(reader.wrap(bytes("12"), 0, 1).next()).isEqualTo(Amf3.ERROR_MARKER);
        assertThat(reader.wrap(bytes("06 ff ff ff 7f"), 0, 5).next()).isEqualTo(Amf3.ERROR_TRUNCATED);
        assertThat(reader.wrap(bytes("04 ff ff"), 0, 3).next()).isEqualTo(Amf3.ERROR_TRUNCATED);
        assertThat(reader.wrap(bytes("09 ff ff ff 7f 01"), 0, 6).next()).isEqualTo(Amf3.ERROR_LENGTH);
        assertThat(reader.next()).isEqualTo(Amf3.ERROR_FAILED);
    }

    @Test
    void readsVectorsAndDictionaries()
    {
        // Vector.<int> [1, -1], Vector.<Object> of type "" with [null], Dictionary {true: 1}
        final UnsafeBuffer b = bytes(
            "0d 05 00 00000001 ffffffff" +
            "10 03 00 01 01" +
            "11 03 00 03 04 01");
        reader.wrap(b, 0, b.capacity());
        assertThat(reader.next()).isEqualTo(Amf3.VECTOR_INT);
        assertThat(reader.count()).isEqualTo(2);
        assertThat(b.getInt(reader.valueOffset() + 4, java.nio.ByteOrder.BIG_ENDIAN)).isEqualTo(-1);
        assertThat(reader.next()).isEqualTo(Amf3.VECTOR_OBJECT);
        assertThat(reader.next()).isEqualTo(Amf3.NULL);
        assertThat(reader.next()).isEqualTo(Amf3.ARRAY_END);
        assertThat(reader.next()).isEqualTo(Amf3.DICTIONARY);
        assertThat(reader.next()).isEqualTo(Amf3.TRUE);
        assertThat(reader.next()).isEqualTo(Amf3.INTEGER);
        assertThat(reader.next()).isEqualTo(Amf3.ARRAY_END);
        assertThat(reader.next()).isEqualTo(Amf3.END);
    }

    @Test
    void skipValueSkipsWholeContainers()
    {
        final int length = writeSample();
        reader.wrap(buffer, 0, length);
        int values = 0;
        int result;
        while ((result = reader.skipValue()) >= 0)
        {
            values++;
        }
        assertThat(result).isEqualTo(Amf3.END);
        assertThat(values).isEqualTo(13);
    }

    @Test
    void seededFuzzNeverThrowsNorOverReads()
    {
        final int length = writeSample();
        final byte[] original = new byte[length];
        buffer.getBytes(0, original);
        final Random random = new Random(3);
        final byte[] bytes = new byte[length];
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        for (int round = 0; round < 20_000; round++)
        {
            System.arraycopy(original, 0, bytes, 0, length);
            for (int i = 0; i < 1 + random.nextInt(5); i++)
            {
                bytes[random.nextInt(length)] = (byte)random.nextInt(256);
            }
            final int cut = random.nextInt(length + 1);
            reader.wrap(b, 0, cut);
            int result;
            int steps = 0;
            do
            {
                result = reader.next();
                assertThat(reader.position()).isLessThanOrEqualTo(cut);
            }
            while (result >= 0 && ++steps < 10_000);
            assertThat(result).isLessThan(0);
        }
    }

    @Test
    void writerStopsAtCapacity()
    {
        writer.wrap(buffer, 0, 10).string("abcdef").string("ghijkl");
        assertThat(writer.overflowed()).isTrue();
        assertThat(writer.position()).isEqualTo(8);
        writer.wrap(buffer, 0, 100).objectBegin().key("");
        assertThat(writer.overflowed()).isTrue();
    }
}
