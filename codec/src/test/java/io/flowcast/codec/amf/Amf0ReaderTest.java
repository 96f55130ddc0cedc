package io.flowcast.codec.amf;

import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Amf0ReaderTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 18]);
    private final Amf0Writer writer = new Amf0Writer();
    private final Amf0Reader reader = new Amf0Reader();

    static String compact(final String hex)
    {
        return hex.replaceAll("\\s+", "");
    }

    private int writeOnStatus()
    {
        writer.wrap(buffer, 0, buffer.capacity())
            .string("onStatus").number(0).nul()
            .objectBegin()
            .key("level").string("status")
            .key("code").string("NetStream.Play.Start")
            .key("description").string("Started playing caf\u00e9 \uD83C\uDFA5")
            .key("priority").number(Double.NEGATIVE_INFINITY)
            .key("clientid").number(1.5)
            .key("isFastPlay").bool(false)
            .key("nothing").undefined()
            .key("list").ecmaArrayBegin(2).key("a").number(1).key("b").nul().objectEnd()
            .key("dense").strictArrayBegin(3).number(1).string("two").bool(true)
            .objectEnd();
        assertThat(writer.overflowed()).isFalse();
        return writer.position();
    }

    @Test
    void readsWhatTheWriterWrites()
    {
        final int length = writeOnStatus();
        reader.wrap(buffer, 0, length);
        final List<Object> values = AmfTree.readAll(reader);
        assertThat(values).hasSize(4);
        assertThat(values.get(0)).isEqualTo("onStatus");
        assertThat(values.get(1)).isEqualTo(0.0);
        assertThat(values.get(2)).isNull();
        @SuppressWarnings("unchecked") final Map<String, Object> info = (Map<String, Object>)values.get(3);
        assertThat(info).containsEntry("level", "status")
            .containsEntry("code", "NetStream.Play.Start")
            .containsEntry("description", "Started playing caf\u00e9 \uD83C\uDFA5")
            .containsEntry("priority", Double.NEGATIVE_INFINITY)
            .containsEntry("isFastPlay", false)
            .containsEntry("nothing", AmfTree.UNDEFINED)
            .containsEntry("dense", List.of(1.0, "two", true));
        @SuppressWarnings("unchecked") final Map<String, Object> list = (Map<String, Object>)info.get("list");
        assertThat(list).containsEntry("a", 1.0).containsKey("b");
        assertThat(list.get("b")).isNull();
    }

    @Test
    void comparesKeysAndStringsWithoutDecoding()
    {
        final int length = writeOnStatus();
        reader.wrap(buffer, 0, length);
        assertThat(reader.next()).isEqualTo(Amf0.STRING);
        assertThat(reader.stringEquals("onStatus")).isTrue();
        assertThat(reader.stringEquals("onStatu")).isFalse();
        assertThat(reader.stringEquals("onStatusX")).isFalse();
        assertThat(reader.next()).isEqualTo(Amf0.NUMBER);
        assertThat(reader.next()).isEqualTo(Amf0.NULL);
        assertThat(reader.next()).isEqualTo(Amf0.OBJECT);
        assertThat(reader.depth()).isEqualTo(1);
        assertThat(reader.next()).isEqualTo(Amf0.STRING);
        assertThat(reader.keyEquals("level")).isTrue();
        assertThat(reader.next()).isEqualTo(Amf0.STRING);
        assertThat(reader.next()).isEqualTo(Amf0.STRING);
        assertThat(reader.keyEquals("description")).isTrue();
        assertThat(reader.stringEquals("Started playing caf\u00e9 \uD83C\uDFA5")).isTrue();
        assertThat(reader.stringEquals("Started playing cafe \uD83C\uDFA5")).isFalse();
    }

    @Test
    void skipsContainers()
    {
        final int length = writeOnStatus();
        reader.wrap(buffer, 0, length);
        reader.next();
        reader.next();
        reader.next();
        assertThat(reader.next()).isEqualTo(Amf0.OBJECT);
        assertThat(reader.skipContainer()).isEqualTo(Amf0.OBJECT_END);
        assertThat(reader.depth()).isZero();
        assertThat(reader.next()).isEqualTo(Amf0.END);
        assertThat(reader.position()).isEqualTo(length);
    }

    @Test
    void choosesLongStringBeyond65535Bytes()
    {
        final char[] chars = new char[70_000];
        Arrays.fill(chars, 'x');
        final String big = new String(chars);
        writer.wrap(buffer, 0, buffer.capacity()).string(big).string("short");
        assertThat(buffer.getByte(0)).isEqualTo((byte)Amf0.LONG_STRING);
        reader.wrap(buffer, 0, writer.position());
        assertThat(reader.next()).isEqualTo(Amf0.LONG_STRING);
        assertThat(reader.stringLength()).isEqualTo(70_000);
        assertThat(reader.next()).isEqualTo(Amf0.STRING);
        assertThat(reader.string()).isEqualTo("short");
    }

    @Test
    void writerStopsAtCapacity()
    {
        writer.wrap(buffer, 10, 12).string("abc").number(1).number(2);
        assertThat(writer.overflowed()).isTrue();
        assertThat(writer.position()).isEqualTo(10 + 6);
        writer.bool(true);
        assertThat(writer.position()).isEqualTo(10 + 6);
    }

    @Test
    void readsSpecExamplesByteForByte()
    {
        // date, reference, typed object, xml document, unsupported (amf0.txt §2)
        final byte[] bytes = GoldenSession.hex(compact(
            "0b" + "4273a4a4d1000000" + "0000" +
            "0700 01" +
            "10 0003 466f6f 0001 61 0040 00 00 00 00 00 00 00 00 0009" +
            "0f 00000003 3c612f" +
            "0d"));
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        reader.wrap(b, 0, bytes.length);
        assertThat(reader.next()).isEqualTo(Amf0.DATE);
        assertThat(reader.number()).isEqualTo(Double.longBitsToDouble(0x4273a4a4d1000000L));
        assertThat(reader.next()).isEqualTo(Amf0.REFERENCE);
        assertThat(reader.count()).isEqualTo(1);
        assertThat(reader.next()).isEqualTo(Amf0.TYPED_OBJECT);
        assertThat(b.getStringWithoutLengthUtf8(reader.classNameOffset(), reader.classNameLength())).isEqualTo("Foo");
        assertThat(reader.next()).isEqualTo(Amf0.NUMBER);
        assertThat(reader.key()).isEqualTo("a");
        assertThat(reader.number()).isEqualTo(2.0);
        assertThat(reader.next()).isEqualTo(Amf0.OBJECT_END);
        assertThat(reader.next()).isEqualTo(Amf0.XML_DOCUMENT);
        assertThat(reader.string()).isEqualTo("<a/");
        assertThat(reader.next()).isEqualTo(Amf0.UNSUPPORTED);
        assertThat(reader.next()).isEqualTo(Amf0.END);
    }

    @Test
    void switchesToAmf3OnAvmPlusMarker()
    {
        // "x", then avmplus-object-marker + AMF3 object {a: 5} (dynamic anonymous), then AMF0 number 7
        final byte[] bytes = GoldenSession.hex(compact("02 0001 78  11 0a 0b 01 03 61 04 05 01  00 401c000000000000"));
        final UnsafeBuffer b = new UnsafeBuffer(bytes);

        reader.wrap(b, 0, bytes.length);
        assertThat(reader.next()).isEqualTo(Amf0.STRING);
        assertThat(reader.next()).isEqualTo(Amf0.AVMPLUS_OBJECT);
        assertThat(reader.next()).isEqualTo(Amf0.NUMBER); // AMF3 value skipped
        assertThat(reader.number()).isEqualTo(7.0);

        reader.wrap(b, 0, bytes.length);
        reader.next();
        assertThat(reader.next()).isEqualTo(Amf0.AVMPLUS_OBJECT);
        final Amf3Reader amf3 = reader.amf3();
        assertThat(amf3.next()).isEqualTo(Amf3.OBJECT);
        assertThat(amf3.next()).isEqualTo(Amf3.INTEGER);
        assertThat(amf3.key()).isEqualTo("a");
        assertThat(amf3.integer()).isEqualTo(5);
        assertThat(amf3.next()).isEqualTo(Amf3.OBJECT_END);
        assertThat(reader.resumeAt(amf3.position())).isZero();
        assertThat(reader.next()).isEqualTo(Amf0.NUMBER);
        assertThat(reader.next()).isEqualTo(Amf0.END);
    }

    @Test
    void boundsNestingDepth()
    {
        // MAX_DEPTH + 1 nested strict arrays of one element each
        final int n = Amf0Reader.MAX_DEPTH + 1;
        final UnsafeBuffer b = new UnsafeBuffer(new byte[n * 5 + 16]);
        for (int i = 0; i < n; i++)
        {
            b.putByte(i * 5, (byte)Amf0.STRICT_ARRAY);
            b.putInt(i * 5 + 1, 1, java.nio.ByteOrder.BIG_ENDIAN);
        }
        reader.wrap(b, 0, b.capacity());
        int result = 0;
        for (int i = 0; i < n && result >= 0; i++)
        {
            result = reader.next();
        }
        assertThat(result).isEqualTo(Amf0.ERROR_DEPTH);
        assertThat(reader.next()).isEqualTo(Amf0.ERROR_FAILED);
    }

    @Test
    void everyTruncationIsAnErrorNotAnException()
    {
        final int length = writeOnStatus();
        for (int cut = 1; cut < length; cut++)
        {
            reader.wrap(buffer, 0, cut);
            int result;
            int steps = 0;
            do
            {
                result = reader.next();
                assertThat(reader.position()).isLessThanOrEqualTo(cut);
            }
            while (result > Amf0.END && ++steps < 1000);
            // a cut inside a value or the object is an error; a cut on a top-level boundary ends cleanly
            assertThat(result == Amf0.END || Amf0.isError(result)).isTrue();
            if (cut > 21) // "onStatus", 0, null take 21 bytes
            {
                assertThat(result).as("cut %d inside the info object", cut).isLessThan(Amf0.END);
            }
        }
    }

    @Test
    void seededFuzzNeverThrowsNorOverReads()
    {
        final Random random = new Random(0x7425);
        final int length = writeOnStatus();
        final byte[] original = new byte[length];
        buffer.getBytes(0, original);
        final byte[] bytes = new byte[length + 8];
        final UnsafeBuffer b = new UnsafeBuffer(bytes);
        for (int round = 0; round < 20_000; round++)
        {
            System.arraycopy(original, 0, bytes, 0, length);
            final int flips = 1 + random.nextInt(6);
            for (int i = 0; i < flips; i++)
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
    void commandHeadReadsNameAndTransactionId()
    {
        final int length = writeOnStatus();
        final Amf0Command command = new Amf0Command();
        assertThat(command.wrap(buffer, 0, length)).isZero();
        assertThat(command.nameEquals("onStatus")).isTrue();
        assertThat(command.transactionId()).isEqualTo(0.0);
        assertThat(command.reader().next()).isEqualTo(Amf0.NULL);

        buffer.putByte(0, (byte)Amf0.NUMBER);
        assertThat(command.wrap(buffer, 0, 9)).isEqualTo(Amf0Command.ERROR_NAME);
    }

    @Test
    void steadyStateReadingAllocatesNothing()
    {
        final int length = writeOnStatus();
        final long[] sum = new long[1];
        final long allocated = Allocations.measure(() ->
        {
            for (int i = 0; i < 10_000; i++)
            {
                reader.wrap(buffer, 0, length);
                int m;
                while ((m = reader.next()) != Amf0.END)
                {
                    sum[0] += m;
                    if (reader.keyEquals("code"))
                    {
                        sum[0] += reader.stringLength();
                    }
                }
            }
        });
        assertThat(allocated).isLessThan(1024);
        assertThat(sum[0]).isPositive();
    }
}
