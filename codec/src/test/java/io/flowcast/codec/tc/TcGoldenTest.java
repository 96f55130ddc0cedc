package io.flowcast.codec.tc;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Command;
import io.flowcast.codec.amf.Amf0Reader;
import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.amf.AmfTree;
import io.flowcast.codec.flv.AudioTagHeader;
import io.flowcast.codec.flv.VideoTagHeader;
import io.flowcast.codec.golden.GoldenSession;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.codec.rtmp.UserControl;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decodes every TC message and TC flow metadata of the golden session (shared/interop) and compares with the
 * independent decode in its JSON.
 */
class TcGoldenTest
{
    private final TcMessageFlyweight message = new TcMessageFlyweight();
    private final Amf0Reader reader = new Amf0Reader();
    private final Amf0Command command = new Amf0Command();
    private final UserControl userControl = new UserControl();
    private final VideoTagHeader video = new VideoTagHeader();
    private final AudioTagHeader audio = new AudioTagHeader();

    private static byte[] userData(final JsonNode chunk)
    {
        final byte[] payload = GoldenSession.hex(chunk.get("payload_hex").asText());
        final JsonNode fields = chunk.get("fields");
        final int offset = fields.get("userData_offset").asInt();
        final int length = fields.get("userData_len").asInt();
        final byte[] data = new byte[length];
        System.arraycopy(payload, offset, data, 0, length);
        return data;
    }

    @Test
    void decodesEveryWholeAndReassembledTcMessage() throws Exception
    {
        final List<JsonNode> datagrams = GoldenSession.datagrams();
        final int[] byType = new int[32];
        int reassembled = 0;
        for (final JsonNode datagram : datagrams)
        {
            for (final JsonNode chunk : iterable(datagram.get("chunks")))
            {
                final JsonNode fields = chunk.get("fields");
                if (null == fields)
                {
                    continue;
                }
                if (fields.has("tc_message"))
                {
                    final JsonNode expected = fields.get("tc_message");
                    check(userData(chunk), expected);
                    byType[expected.get("type").asInt()]++;
                }
                if (fields.has("reassembled_message"))
                {
                    final JsonNode whole = fields.get("reassembled_message");
                    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    for (final JsonNode fragment : iterable(whole.get("fragments")))
                    {
                        final JsonNode source = datagrams.get(fragment.get("i").asInt())
                            .get("chunks").get(fragment.get("chunk").asInt());
                        bytes.write(userData(source));
                    }
                    final byte[] data = bytes.toByteArray();
                    assertThat(data.length).isEqualTo(whole.get("length").asInt());
                    assertThat(GoldenSession.hex(MessageDigest.getInstance("SHA-256").digest(data)))
                        .isEqualTo(whole.get("sha256").asText());
                    check(data, whole.get("tc_message"));
                    reassembled++;
                }
            }
        }
        assertThat(byType[MessageType.COMMAND_AMF0]).isEqualTo(16);
        assertThat(byType[MessageType.DATA_AMF0]).isEqualTo(3);
        assertThat(byType[MessageType.USER_CONTROL]).isEqualTo(5);
        assertThat(byType[MessageType.AUDIO]).isEqualTo(176);
        assertThat(byType[MessageType.VIDEO]).isEqualTo(58);
        assertThat(reassembled).isPositive();
    }

    private void check(final byte[] data, final JsonNode expected) throws Exception
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        assertThat(message.wrap(buffer, 0, data.length)).isZero();
        final int type = message.type();
        assertThat(type).isEqualTo(expected.get("type").asInt());
        assertThat(message.timestamp()).isEqualTo(expected.get("timestamp").asLong());
        assertThat(message.payloadLength()).isEqualTo(expected.get("payload_len").asInt());

        switch (type)
        {
            case MessageType.COMMAND_AMF0:
            {
                assertThat(command.wrap(buffer, message.amfOffset(), message.amfLength())).isZero();
                assertThat(command.name()).isEqualTo(expected.get("command").asText());
                assertThat(command.nameEquals(expected.get("command").asText())).isTrue();
                assertThat(command.transactionId()).isEqualTo(expected.get("transactionID").asDouble());
                final List<Object> rest = AmfTree.readAll(command.reader());
                assertMatches(expected.get("commandObject"), rest.get(0), "commandObject");
                final JsonNode args = expected.get("args");
                // the golden decode lists arguments after the command object
                assertThat(rest.size() - 1).as("args of %s", command.name()).isEqualTo(args.size());
                for (int i = 0; i < args.size(); i++)
                {
                    assertMatches(args.get(i), rest.get(i + 1), command.name() + ".args[" + i + "]");
                }
                break;
            }

            case MessageType.DATA_AMF0:
            {
                reader.wrap(buffer, message.amfOffset(), message.amfLength());
                assertMatches(expected.get("values"), AmfTree.readAll(reader), "values");
                break;
            }

            case MessageType.USER_CONTROL:
            {
                final int event = userControl.wrap(buffer, message.payloadOffset(), message.payloadLength());
                assertThat(event).isEqualTo(expected.get("event").asInt());
                if (expected.has("streamID"))
                {
                    assertThat(userControl.first()).isEqualTo(expected.get("streamID").asLong());
                }
                break;
            }

            case MessageType.VIDEO:
            {
                final JsonNode v = expected.get("video");
                assertThat(video.wrap(buffer, message.payloadOffset(), message.payloadLength())).isPositive();
                assertThat(video.frameType()).isEqualTo(v.get("frameType").asInt());
                assertThat(video.codecId()).isEqualTo(v.get("codecID").asInt());
                if (v.has("avcPacketType"))
                {
                    assertThat(video.packetType()).isEqualTo(v.get("avcPacketType").asInt());
                    assertThat(video.compositionTime()).isEqualTo(v.get("compositionTime").asInt());
                }
                assertSha256(data, expected);
                break;
            }

            case MessageType.AUDIO:
            {
                final JsonNode a = expected.get("audio");
                assertThat(audio.wrap(buffer, message.payloadOffset(), message.payloadLength())).isPositive();
                assertThat(audio.soundFormat()).isEqualTo(a.get("soundFormat").asInt());
                assertThat(audio.soundRate()).isEqualTo(a.get("soundRate").asInt());
                assertThat(audio.soundSize()).isEqualTo(a.get("soundSize").asInt());
                assertThat(audio.soundType()).isEqualTo(a.get("soundType").asInt());
                if (a.has("aacPacketType"))
                {
                    assertThat(audio.packetType()).isEqualTo(a.get("aacPacketType").asInt());
                }
                assertSha256(data, expected);
                break;
            }

            default:
                throw new AssertionError("unexpected type " + type);
        }
    }

    private void assertSha256(final byte[] data, final JsonNode expected) throws Exception
    {
        final MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(data, TcMessageFlyweight.HEADER_LENGTH, data.length - TcMessageFlyweight.HEADER_LENGTH);
        assertThat(GoldenSession.hex(sha.digest())).isEqualTo(expected.get("payload_sha256").asText());
    }

    @SuppressWarnings("unchecked")
    private static void assertMatches(final JsonNode expected, final Object actual, final String path)
    {
        if (null == expected || expected.isNull())
        {
            assertThat(actual).as(path).isNull();
        }
        else if (expected.isObject() && expected.has("amf0") && "undefined".equals(expected.get("amf0").asText()))
        {
            assertThat(actual).as(path).isEqualTo(AmfTree.UNDEFINED);
        }
        else if (expected.isObject() && expected.has("amf0_number"))
        {
            assertThat(actual).as(path).isEqualTo(Double.parseDouble(expected.get("amf0_number").asText()));
        }
        else if (expected.isNumber())
        {
            assertThat(actual).as(path).isInstanceOf(Double.class);
            assertThat((Double)actual).as(path).isEqualTo(expected.asDouble());
        }
        else if (expected.isTextual())
        {
            assertThat(actual).as(path).isEqualTo(expected.asText());
        }
        else if (expected.isBoolean())
        {
            assertThat(actual).as(path).isEqualTo(expected.asBoolean());
        }
        else if (expected.isArray())
        {
            assertThat(actual).as(path).isInstanceOf(List.class);
            final List<Object> list = (List<Object>)actual;
            assertThat(list).as(path).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++)
            {
                assertMatches(expected.get(i), list.get(i), path + "[" + i + "]");
            }
        }
        else if (expected.isObject())
        {
            assertThat(actual).as(path).isInstanceOf(Map.class);
            final Map<String, Object> map = (Map<String, Object>)actual;
            final List<String> names = new ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            assertThat(map.keySet()).as(path).containsExactlyInAnyOrderElementsOf(names);
            for (final String name : names)
            {
                assertMatches(expected.get(name), map.get(name), path + "." + name);
            }
        }
        else
        {
            throw new AssertionError(path + ": unexpected JSON " + expected);
        }
    }

    @Test
    void amf0WriterReproducesEveryGoldenCommandByteForByte()
    {
        final Amf0Writer writer = new Amf0Writer();
        final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
        int copied = 0;
        for (final JsonNode datagram : GoldenSession.datagrams())
        {
            for (final JsonNode chunk : iterable(datagram.get("chunks")))
            {
                final JsonNode fields = chunk.get("fields");
                if (null == fields || !fields.has("tc_message"))
                {
                    continue;
                }
                final int type = fields.get("tc_message").get("type").asInt();
                if (MessageType.COMMAND_AMF0 != type && MessageType.DATA_AMF0 != type)
                {
                    continue;
                }
                final byte[] data = userData(chunk);
                final UnsafeBuffer buffer = new UnsafeBuffer(data);
                assertThat(message.wrap(buffer, 0, data.length)).isZero();
                reader.wrap(buffer, message.amfOffset(), message.amfLength());
                writer.wrap(out, 0, out.capacity());
                int m;
                while ((m = reader.next()) != Amf0.END)
                {
                    if (reader.keyLength() >= 0)
                    {
                        writer.key(reader.key());
                    }
                    switch (m)
                    {
                        case Amf0.NUMBER -> writer.number(reader.number());
                        case Amf0.BOOLEAN -> writer.bool(reader.bool());
                        case Amf0.STRING -> writer.string(reader.string());
                        case Amf0.NULL -> writer.nul();
                        case Amf0.UNDEFINED -> writer.undefined();
                        case Amf0.OBJECT -> writer.objectBegin();
                        case Amf0.ECMA_ARRAY -> writer.ecmaArrayBegin((int)reader.count());
                        case Amf0.STRICT_ARRAY -> writer.strictArrayBegin((int)reader.count());
                        case Amf0.OBJECT_END -> writer.objectEnd();
                        case Amf0.STRICT_ARRAY_END -> { }
                        default -> throw new AssertionError("unexpected AMF0 result " + m);
                    }
                }
                assertThat(writer.overflowed()).isFalse();
                assertThat(Arrays.copyOf(out.byteArray(), writer.position()))
                    .isEqualTo(Arrays.copyOfRange(data, message.amfOffset(), data.length));
                copied++;
            }
        }
        assertThat(copied).isEqualTo(19);
    }

    @Test
    void decodesEveryTcFlowMetadata()
    {
        final TcFlowMetadata metadata = new TcFlowMetadata();
        int seen = 0;
        for (final JsonNode datagram : GoldenSession.datagrams())
        {
            for (final JsonNode chunk : iterable(datagram.get("chunks")))
            {
                final JsonNode options = null == chunk.get("fields") ? null : chunk.get("fields").get("options");
                if (null == options)
                {
                    continue;
                }
                for (final JsonNode option : iterable(options))
                {
                    if (!option.has("tc_metadata"))
                    {
                        continue;
                    }
                    final byte[] value = GoldenSession.hex(option.get("value_hex").asText());
                    final UnsafeBuffer buffer = new UnsafeBuffer(value);
                    final JsonNode expected = option.get("tc_metadata");
                    assertThat(metadata.wrap(buffer, 0, value.length)).isZero();
                    assertThat(metadata.flags()).isEqualTo(expected.get("flags").asInt());
                    assertThat(metadata.streamId()).isEqualTo(expected.get("streamID").asLong());
                    assertThat(metadata.networkOrder()).isEqualTo("network".equals(expected.get("receiveIntent").asText()));

                    final UnsafeBuffer out = new UnsafeBuffer(new byte[16]);
                    final int length = TcFlowMetadata.encode(out, 0, metadata.streamId(), metadata.networkOrder());
                    assertThat(length).isEqualTo(TcFlowMetadata.encodedLength(metadata.streamId()));
                    assertThat(GoldenSession.hex(Arrays.copyOf(out.byteArray(), length)))
                        .isEqualTo(option.get("value_hex").asText());
                    seen++;
                }
            }
        }
        assertThat(seen).isPositive();
    }

    @Test
    void metadataExamplesAndErrors()
    {
        final TcFlowMetadata metadata = new TcFlowMetadata();
        assertThat(metadata.wrap(new UnsafeBuffer(GoldenSession.hex("54430401")), 0, 4)).isZero();
        assertThat(metadata.streamId()).isEqualTo(1);
        assertThat(metadata.networkOrder()).isFalse();
        assertThat(metadata.wrap(new UnsafeBuffer(GoldenSession.hex("544304fa8901")), 0, 6)).isZero();
        assertThat(metadata.streamId()).isEqualTo(2_000_001);
        assertThat(metadata.wrap(new UnsafeBuffer(GoldenSession.hex("5443050700")), 0, 5)).isZero();
        assertThat(metadata.networkOrder()).isTrue();
        assertThat(metadata.encodedLength()).isEqualTo(4); // trailing byte ignored
        assertThat(metadata.wrap(new UnsafeBuffer(GoldenSession.hex("54440401")), 0, 4))
            .isEqualTo(TcFlowMetadata.ERROR_NOT_TC);
        assertThat(metadata.wrap(new UnsafeBuffer(GoldenSession.hex("54430001")), 0, 4))
            .isEqualTo(TcFlowMetadata.ERROR_NO_STREAM_ID);
        assertThat(metadata.wrap(new UnsafeBuffer(GoldenSession.hex("544304")), 0, 3))
            .isEqualTo(TcFlowMetadata.ERROR_NOT_TC);
        assertThat(metadata.wrap(new UnsafeBuffer(GoldenSession.hex("54430481")), 0, 4))
            .isEqualTo(TcFlowMetadata.ERROR_STREAM_ID);
    }

    @Test
    void amf3CommandNeedsFormatByteZero()
    {
        final TcMessageFlyweight flyweight = new TcMessageFlyweight();
        final UnsafeBuffer ok = new UnsafeBuffer(GoldenSession.hex("1100000000" + "00" + "0200046c6f6c61"));
        assertThat(flyweight.wrap(ok, 0, ok.capacity())).isZero();
        assertThat(flyweight.amfOffset()).isEqualTo(6);
        assertThat(flyweight.amfLength()).isEqualTo(7);
        final UnsafeBuffer bad = new UnsafeBuffer(GoldenSession.hex("1100000000" + "01" + "0200046c6f6c61"));
        assertThat(flyweight.wrap(bad, 0, bad.capacity())).isEqualTo(TcMessageFlyweight.ERROR_FORMAT);
        assertThat(flyweight.wrap(bad, 0, 5)).isEqualTo(TcMessageFlyweight.ERROR_FORMAT);
        assertThat(flyweight.wrap(bad, 0, 4)).isEqualTo(TcMessageFlyweight.ERROR_TOO_SHORT);

        final UnsafeBuffer out = new UnsafeBuffer(new byte[5]);
        TcMessageFlyweight.encodeHeader(out, 0, MessageType.VIDEO, 0x01020304);
        assertThat(GoldenSession.hex(out.byteArray())).isEqualTo("0901020304");
    }

    private static Iterable<JsonNode> iterable(final JsonNode node)
    {
        if (null == node)
        {
            return List.of();
        }
        return () ->
        {
            final Iterator<JsonNode> it = node.elements();
            return it;
        };
    }
}
