package io.flowcast.dissect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowcast.codec.golden.GoldenSession;
import io.flowcast.codec.rtmfp.Address;
import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.ForwardedIHelloChunk;
import io.flowcast.codec.rtmfp.IHelloChunk;
import io.flowcast.codec.rtmfp.Multiplex;
import io.flowcast.codec.rtmfp.PacketAssembler;
import io.flowcast.codec.rtmfp.PacketDecoder;
import io.flowcast.codec.rtmfp.PacketFragmentChunk;
import io.flowcast.codec.rtmfp.RHelloCookieChangeChunk;
import io.flowcast.codec.rtmfp.RedirectChunk;
import io.flowcast.crypto.DirectionKeys;
import io.flowcast.crypto.KeyLog;
import io.flowcast.crypto.PacketProtection;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.flowcast.codec.golden.GoldenSession.hex;
import static org.assertj.core.api.Assertions.assertThat;

class DissectorTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] AES = hex("3b10e5726a799e70c3b22dc3de6ffac4");

    private static List<KeyLog.Entry> goldenEntries()
    {
        final List<KeyLog.Entry> entries = new ArrayList<>();
        for (final JsonNode session : GoldenSession.keys().get("sessions"))
        {
            for (final String direction : new String[]{ "i2r", "r2i" })
            {
                final JsonNode k = session.get("keys").get(direction);
                entries.add(new KeyLog.Entry(entries.size() + 1,
                    ByteBuffer.wrap(hex(k.get("packets_carry_session_id_hex").asText())).getInt(),
                    hex(k.get("aes128_cbc_key_hex").asText()), hex(k.get("hmac_sha256_key_hex").asText())));
            }
        }
        return entries;
    }

    private static List<CapturedDatagram> golden() throws Exception
    {
        final List<CapturedDatagram> datagrams = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(GoldenSession.shared("interop/golden-session.pcap")))
        {
            CapturedDatagram d;
            while (null != (d = reader.next()))
            {
                datagrams.add(d);
            }
        }
        return datagrams;
    }

    @Test
    void probesTheFramingWhenTheCaptureLacksTheKeyingChunks() throws Exception
    {
        final Dissector dissector = new Dissector(goldenEntries());
        final List<JsonNode> expected = GoldenSession.datagrams();
        int probed = 0;
        for (final CapturedDatagram datagram : golden())
        {
            final JsonNode e = expected.get((int)datagram.index());
            if ("default".equals(e.get("key_used").asText()))
            {
                continue; // as if the capture started after the handshakes
            }
            final Map<String, Object> d = dissector.dissect(datagram);
            assertThat(d.get("verified")).isEqualTo(true);
            assertThat(d.get("framing")).isEqualTo(Dissector.FRAMING_PROBED);
            assertThat(d.get("hmacLength")).isEqualTo(16);
            assertThat(d.get("sessionSequenceNumber")).isEqualTo(e.get("session_sequence_number").asLong());
            assertThat(((List<?>)d.get("chunks"))).hasSize(e.get("chunks").size());
            probed++;
        }
        assertThat(probed).isEqualTo(GoldenSession.DATAGRAM_COUNT - 8);
        assertThat(dissector.decrypted()).isEqualTo(probed);
        assertThat(dissector.undecryptable()).isZero();
    }

    @Test
    void decodesEveryChunkTypeTheGoldenSessionLacks() throws Exception
    {
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 64; i++)
        {
            bytes.putByte(i, (byte)(0x40 + i));
        }
        final byte[] uri = "rtmfp://example.net/app".getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer epd = new UnsafeBuffer(new byte[64]);
        epd.putByte(0, (byte)(1 + uri.length));
        epd.putByte(1, (byte)0x0a);
        epd.putBytes(2, uri);
        final int epdLength = 2 + uri.length;
        final UnsafeBuffer addresses = new UnsafeBuffer(new byte[32]);
        int addressesLength = Address.encodeIpv4(addresses, 0, 0xc0000201, 1935, Address.ORIGIN_REFLEXIVE);
        final UnsafeBuffer ipv6 = new UnsafeBuffer(InetAddress.getByName("2001:db8::7").getAddress());
        addressesLength += Address.encodeIpv6(addresses, addressesLength, ipv6, 0, 443, Address.ORIGIN_RELAY);

        final UnsafeBuffer out = new UnsafeBuffer(new byte[600]);
        final PacketProtection protection = PacketProtection.defaultKey();
        final int packetOffset = protection.packetOffset(0);
        final PacketAssembler a = new PacketAssembler().wrap(out, packetOffset, out.capacity() - 32);
        a.begin(PacketDecoder.MODE_STARTUP, false, false, 100, -1);
        a.commit(ForwardedIHelloChunk.encode(out, a.position(), a.limit(), epd, 0, epdLength,
            addresses, 0, Address.IPV4_LENGTH, bytes, 0, 16));
        a.commit(RedirectChunk.encode(out, a.position(), a.limit(), bytes, 0, 16, addresses, 0, addressesLength));
        a.commit(RHelloCookieChangeChunk.encode(out, a.position(), a.limit(), bytes, 0, 3, bytes, 3, 4));
        a.commit(PacketFragmentChunk.encode(out, a.position(), a.limit(), true, 9, 2, bytes, 0, 5));
        a.appendPing(ChunkType.PING, bytes, 0, 3);
        a.appendPing(ChunkType.PING_REPLY, bytes, 0, 3);
        a.appendDataAckBitmap(3, 10, 20, bytes, 0, 1);
        a.appendDataAckRanges(3, 10, 20, new long[]{ 22, 25, 30, 30 }, 2);
        a.appendBufferProbe(3);
        a.appendFlowExceptionReport(3, 9);
        a.appendChunk(0x55, bytes, 0, 7);
        a.appendSessionClose(ChunkType.SESSION_CLOSE_REQUEST);
        final int packetLength = a.finish();
        final int length = protection.encrypt(out, 0, packetLength);
        Multiplex.scramble(out, 0, length, 0);
        final byte[] payload = new byte[length];
        out.getBytes(0, payload);

        final Map<String, Object> d = new Dissector(List.of()).dissect(new CapturedDatagram(0, 1, 0,
            new InetSocketAddress("::1", 40000), new InetSocketAddress("127.0.0.1", 1935), 0, payload, false));
        final JsonNode json = JSON.readTree(DissectionJson.toJson(d));
        assertThat(json.get("src").asText()).isEqualTo("[0:0:0:0:0:0:0:1]:40000");
        assertThat(json.get("key").asText()).isEqualTo("default");
        assertThat(json.get("verified").asBoolean()).isTrue();
        assertThat(json.get("header").get("timestamp").asInt()).isEqualTo(100);
        final JsonNode chunks = json.get("chunks");
        final int[] types = { 0x0f, 0x71, 0x79, 0x7f, 0x01, 0x41, 0x50, 0x51, 0x18, 0x5e, 0x55, 0x0c };
        assertThat(chunks.size()).as(chunks.toString()).isEqualTo(types.length);
        for (int i = 0; i < types.length; i++)
        {
            assertThat(chunks.get(i).get("type").asInt()).isEqualTo(types[i]);
            assertThat(chunks.get(i).has("error")).as("chunk %d", i).isFalse();
        }

        final JsonNode fihello = chunks.get(0).get("fields");
        assertThat(chunks.get(0).get("name").asText()).isEqualTo("Forwarded IHello");
        assertThat(fihello.get("epd").get(0).get("value_text").asText()).isEqualTo("rtmfp://example.net/app");
        assertThat(fihello.get("replyAddress").asText()).isEqualTo("192.0.2.1:1935 (reflexive)");
        assertThat(fihello.get("tag_hex").asText()).isEqualTo("404142434445464748494a4b4c4d4e4f");
        assertThat(chunks.get(1).get("fields").get("addresses").toString())
            .isEqualTo("[\"192.0.2.1:1935 (reflexive)\",\"[2001:db8:0:0:0:0:0:7]:443 (relay)\"]");
        assertThat(chunks.get(2).get("fields").get("newCookie_hex").asText()).isEqualTo("43444546");
        final JsonNode fragment = chunks.get(3).get("fields");
        assertThat(fragment.get("moreFragments").asBoolean()).isTrue();
        assertThat(fragment.get("packetID").asInt()).isEqualTo(9);
        assertThat(fragment.get("fragmentNumber").asInt()).isEqualTo(2);
        assertThat(fragment.get("fragmentLength").asInt()).isEqualTo(5);
        assertThat(chunks.get(4).get("fields").get("message_hex").asText()).isEqualTo("404142");
        final JsonNode bitmap = chunks.get(6).get("fields");
        assertThat(bitmap.get("cumulativeAck").asInt()).isEqualTo(20);
        assertThat(bitmap.get("bitmap_hex").asText()).isEqualTo("40");
        assertThat(bitmap.get("ranges").toString()).isEqualTo("[{\"first\":28,\"last\":28}]");
        final JsonNode ranges = chunks.get(7).get("fields");
        assertThat(ranges.get("flowID").asInt()).isEqualTo(3);
        assertThat(ranges.get("bufferBlocksAvailable").asInt()).isEqualTo(10);
        assertThat(ranges.get("ranges").toString())
            .isEqualTo("[{\"first\":22,\"last\":25},{\"first\":30,\"last\":30}]");
        assertThat(chunks.get(8).get("fields").get("flowID").asInt()).isEqualTo(3);
        assertThat(chunks.get(9).get("fields").get("exception").asInt()).isEqualTo(9);
        assertThat(chunks.get(10).get("name").asText()).isEqualTo("Unknown");
        assertThat(chunks.get(10).get("len").asInt()).isEqualTo(7);
        assertThat(chunks.get(11).get("name").asText()).isEqualTo("Session Close Request");

        final String text = DissectionText.format(d);
        assertThat(text).contains("    0x55 Unknown @").contains(" len 7\n");
        assertThat(text).contains(" 0x51 Data Ack Ranges @").contains("ranges=[{\"first\":22,\"last\":25},");
    }

    @Test
    void checksumKeysAndUndecryptableDatagrams() throws Exception
    {
        final DirectionKeys keys = new DirectionKeys(AES, null, 0, false);
        final PacketProtection sender = new PacketProtection(keys, keys);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[100]);
        final PacketAssembler a = new PacketAssembler().wrap(out, sender.packetOffset(0), 80);
        a.begin(PacketDecoder.MODE_INITIATOR, false, false, 7, -1);
        a.appendBufferProbe(5);
        final int length = sender.encrypt(out, 0, a.finish());
        Multiplex.scramble(out, 0, length, 0x0a0b0c0d);
        final byte[] payload = new byte[length];
        out.getBytes(0, payload);
        final InetSocketAddress x = new InetSocketAddress("127.0.0.1", 1);
        final InetSocketAddress y = new InetSocketAddress("127.0.0.1", 2);

        final Dissector dissector = new Dissector(List.of(
            new KeyLog.Entry(4, 0x0a0b0c0d, hex("00000000000000000000000000000000"), null),
            new KeyLog.Entry(7, 0x0a0b0c0d, AES, null)));
        final Map<String, Object> d = dissector.dissect(new CapturedDatagram(0, 1, 5_000, x, y, 0, payload, false));
        assertThat(d.get("key")).isEqualTo("session");
        assertThat(d.get("keyLine")).isEqualTo(7);
        assertThat(d.get("integrity")).isEqualTo("checksum");
        assertThat(d.get("framing")).isEqualTo("probed");
        assertThat(d).doesNotContainKey("sessionSequenceNumber");
        assertThat(DissectionText.format(d)).startsWith(
            "#1 0.000000 127.0.0.1:1 -> 127.0.0.1:2 len " + length + " sid 0a0b0c0d key session(line 7) checksum " +
            "probed verified\n    header flags=9 ");

        final byte[] damaged = payload.clone();
        damaged[damaged.length - 1] ^= 1;
        final Map<String, Object> bad = dissector.dissect(new CapturedDatagram(1, 2, 6_000, x, y, 0, damaged, false));
        assertThat(bad.get("key")).isEqualTo("none");
        assertThat(bad.get("verified")).isEqualTo(false);
        assertThat(bad.get("reason")).isEqualTo("none of the 2 key-log line(s) for session 0a0b0c0d verifies, nor " +
            "the default key");
        assertThat(DissectionText.format(bad)).isEqualTo("#2 0.000001 127.0.0.1:1 -> 127.0.0.1:2 len " + length +
            " sid 0a0b0c0d key none NOT verified: " + bad.get("reason") + "\n");

        final Map<String, Object> tiny = dissector.dissect(
            new CapturedDatagram(2, 3, 7_000, x, y, 0, new byte[]{ 1, 2, 3 }, false));
        assertThat(tiny.get("verified")).isEqualTo(false);
        assertThat(tiny.get("reason")).isEqualTo("shorter than a scrambled session ID (3 bytes)");
        final Map<String, Object> short16 = dissector.dissect(
            new CapturedDatagram(3, 4, 8_000, x, y, 0, new byte[12], false));
        assertThat(short16.get("reason")).isEqualTo("too short for an encrypted packet (12 bytes)");
        assertThat(dissector.datagrams()).isEqualTo(4);
        assertThat(dissector.decrypted()).isEqualTo(1);
        assertThat(dissector.undecryptable()).isEqualTo(3);
    }

    @Test
    void neverThrowsOnMutatedPackets() throws Exception
    {
        final List<byte[]> plains = new ArrayList<>();
        for (final JsonNode datagram : GoldenSession.datagrams())
        {
            plains.add(hex(datagram.get("plain_hex").asText()));
        }
        final java.util.Random random = new java.util.Random(7016);
        final PacketProtection protection = PacketProtection.defaultKey();
        final Dissector dissector = new Dissector(goldenEntries());
        final InetSocketAddress x = new InetSocketAddress("127.0.0.1", 1);
        final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);
        for (int n = 0; n < 4000; n++)
        {
            final byte[] plain = plains.get(random.nextInt(plains.size())).clone();
            final int mutations = 1 + random.nextInt(8);
            for (int m = 0; m < mutations; m++)
            {
                plain[random.nextInt(plain.length)] = (byte)random.nextInt(256);
            }
            final int plainLength = 1 + random.nextInt(plain.length);
            out.setMemory(0, out.capacity(), (byte)0);
            out.putBytes(protection.packetOffset(0), plain, 0, plainLength);
            final int length = protection.encrypt(out, 0, plainLength);
            Multiplex.scramble(out, 0, length, 0);
            final byte[] payload = new byte[length];
            out.getBytes(0, payload);
            final Map<String, Object> d = dissector.dissect(new CapturedDatagram(n, n + 1, n, x, x, 0, payload, false));
            assertThat(d.get("verified")).isEqualTo(true);
            JSON.readTree(DissectionJson.toJson(d));
            DissectionText.format(d);
        }
    }

    @Test
    void jsonWriterEscapesStringsAndNeverWritesNaN() throws Exception
    {
        final Map<String, Object> tree = new LinkedHashMap<>();
        final String nasty = "quote\" backslash\\ slash/ nl\n cr\r tab\t bell\u0007 nul\u0000 del\u007f é \u2028 " +
            "emoji\ud83d\ude00 lone\ud800 end";
        tree.put("s", nasty);
        tree.put("nan", Double.NaN);
        tree.put("inf", Double.NEGATIVE_INFINITY);
        tree.put("d", 1.25);
        tree.put("whole", 3.0);
        tree.put("long", Long.MAX_VALUE);
        tree.put("list", List.of(true, false, "x"));
        tree.put("null", null);
        tree.put("key\"with\nescapes", 1);
        final String json = DissectionJson.toJson(tree);
        assertThat(json).doesNotContain("\n").doesNotContain("NaN").doesNotContain("Infinity");
        final JsonNode node = JSON.readTree(json);
        assertThat(node.get("s").asText()).isEqualTo(nasty.replace("\ud800 ", "\ud800 "));
        assertThat(node.get("nan").isNull()).isTrue();
        assertThat(node.get("inf").isNull()).isTrue();
        assertThat(node.get("d").asDouble()).isEqualTo(1.25);
        assertThat(node.get("whole").asText()).isEqualTo("3");
        assertThat(node.get("long").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(node.get("list").toString()).isEqualTo("[true,false,\"x\"]");
        assertThat(node.get("null").isNull()).isTrue();
        assertThat(node.get("key\"with\nescapes").asInt()).isEqualTo(1);
        assertThat(json).contains("\\u0007").contains("\\u0000").contains("\\ud800").contains("\\u2028");
    }
}
