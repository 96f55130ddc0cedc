package io.flowcast.crypto;

import io.flowcast.codec.rtmfp.Multiplex;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static io.flowcast.codec.golden.GoldenSession.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyLogTest
{
    static String goldenKeyLog()
    {
        final StringBuilder log = new StringBuilder("# golden session\n\n");
        for (final JsonNode session : GoldenSession.keys().get("sessions"))
        {
            for (final String direction : new String[]{ "i2r", "r2i" })
            {
                final JsonNode k = session.get("keys").get(direction);
                KeyLog.write(log, java.nio.ByteBuffer.wrap(hex(k.get("packets_carry_session_id_hex").asText())).getInt(),
                    new DirectionKeys(hex(k.get("aes128_cbc_key_hex").asText()),
                    hex(k.get("hmac_sha256_key_hex").asText()), 16, true));
            }
        }
        return log.toString();
    }

    @Test
    void writesAndParsesLines() throws Exception
    {
        final String log = goldenKeyLog();
        assertThat(log).contains("RTMFP_KEYS 02000000 26baa5bda9f11a3d805820794fa3b823 " +
            "b3b0d70cd62c879d1f9565defbd35112ae4cfa6529bc0b405a4a780167e13bd7\n");
        final List<KeyLog.Entry> entries = KeyLog.parse(new StringReader(log +
            "RTMFP_KEYS 0a0b0c0d 41646f62652053797374656d73203032 -\n"));
        assertThat(entries).hasSize(5);
        assertThat(entries.get(0).lineNumber()).isEqualTo(3);
        assertThat(entries.get(0).sessionId()).isEqualTo(0x02000000);
        assertThat(entries.get(4).hmacKey()).isNull();
        assertThat(entries.get(4).toLine()).isEqualTo("RTMFP_KEYS 0a0b0c0d 41646f62652053797374656d73203032 -");
    }

    @Test
    void writerAppendsBothDirectionsOfASession(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir)
        throws Exception
    {
        final java.nio.file.Path file = dir.resolve("keys.log");
        final byte[] aes = hex("3b10e5726a799e70c3b22dc3de6ffac4");
        final byte[] mac = hex("dad0d581b5363bb4367a522322b3ddfa3cce51925e1c9ed767113d8701f2ddec");
        try (KeyLog.Writer writer = new KeyLog.Writer(file))
        {
            writer.session("127.0.0.1:1935\nx", 0x02000000, new DirectionKeys(aes, mac, 16, true),
                0x03000000, new DirectionKeys(aes, null, 0, false));
        }
        try (KeyLog.Writer writer = new KeyLog.Writer(file))
        {
            writer.session(null, 7, new DirectionKeys(aes, mac, 10, false), 8, DirectionKeys.DEFAULT);
        }
        final List<KeyLog.Entry> entries = KeyLog.parse(java.nio.file.Files.newBufferedReader(file));
        assertThat(entries).hasSize(4);
        assertThat(entries.get(0).sessionId()).isEqualTo(0x02000000);
        assertThat(entries.get(0).hmacKey()).isEqualTo(mac);
        assertThat(entries.get(1).sessionId()).isEqualTo(0x03000000);
        assertThat(entries.get(1).hmacKey()).isNull();
        assertThat(entries.get(3).sessionId()).isEqualTo(8);
        assertThat(java.nio.file.Files.readAllLines(file).get(0)).isEqualTo("# 127.0.0.1:1935 x");
    }

    @Test
    void parseErrorsNameTheLine()
    {
        assertError("# ok\nRTMFP_KEY 02000000 00 -\n", 2, "expected 'RTMFP_KEYS'");
        assertError("RTMFP_KEYS 02000000 41646f62652053797374656d73203032\n", 1, "expected 4 fields");
        assertError("\nRTMFP_KEYS 020000 41646f62652053797374656d73203032 -\n", 2, "8 hex digits");
        assertError("RTMFP_KEYS 02000000 41646f6265205379 -\n", 1, "32 hex digits");
        assertError("RTMFP_KEYS 02000000 41646f62652053797374656d7320303g -\n", 1, "not hex");
        assertError("RTMFP_KEYS 02000000 41646f62652053797374656d73203032 abc\n", 1, "odd number");
    }

    private static void assertError(final String log, final int line, final String message)
    {
        assertThatThrownBy(() -> KeyLog.parse(new StringReader(log)))
            .isInstanceOf(KeyLog.ParseException.class)
            .hasMessageContaining("line " + line + ":")
            .hasMessageContaining(message)
            .satisfies((e) -> assertThat(((KeyLog.ParseException)e).lineNumber()).isEqualTo(line));
    }

    @Test
    void decryptorFindsTheKeyFramingAndSequenceNumberOfEveryGoldenDatagram() throws Exception
    {
        final KeyLogDecryptor decryptor = new KeyLogDecryptor(KeyLog.parse(new StringReader(goldenKeyLog())));
        for (final JsonNode datagram : GoldenSession.datagrams())
        {
            final byte[] raw = hex(datagram.get("raw_hex").asText());
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[raw.length + 2]);
            buffer.putBytes(2, raw);
            final int length = decryptor.decrypt(buffer, 2, raw.length);
            assertThat(length).as("datagram %s", datagram.get("i")).isPositive();
            assertThat(decryptor.plausible()).isTrue();
            assertThat(hex(PacketProtectionTest.bytes(buffer, decryptor.packetOffset(), length)))
                .isEqualTo(datagram.get("plain_hex").asText());
            if (datagram.has("session_sequence_number"))
            {
                final UnsafeBuffer framed = new UnsafeBuffer(raw.clone());
                assertThat(decryptor.decrypt(framed, 0, raw.length, 16, true)).isEqualTo(length);
                assertThat(hex(PacketProtectionTest.bytes(framed, decryptor.packetOffset(), length)))
                    .isEqualTo(datagram.get("plain_hex").asText());
                assertThat(decryptor.hmacLength()).isEqualTo(16);
                assertThat(decryptor.sequenceNumber()).isEqualTo(datagram.get("session_sequence_number").asLong());
            }
            else
            {
                assertThat(decryptor.entry()).isNull();
                assertThat(decryptor.hmacLength()).isZero();
            }
        }

        final byte[] junk = new byte[68];
        junk[20] = 1;
        final UnsafeBuffer buffer = new UnsafeBuffer(junk.clone());
        assertThat(decryptor.decrypt(buffer, 0, junk.length)).isEqualTo(KeyLogDecryptor.NO_KEY);
        assertThat(PacketProtectionTest.bytes(buffer, 0, junk.length)).isEqualTo(junk);
    }

    @Test
    void decryptorTellsSequenceNumbersApartUnderHmacAndChecksum() throws Exception
    {
        final byte[] aes = hex("3b10e5726a799e70c3b22dc3de6ffac4");
        final byte[] mac = hex("dad0d581b5363bb4367a522322b3ddfa3cce51925e1c9ed767113d8701f2ddec");
        final List<KeyLog.Entry> entries = List.of(
            new KeyLog.Entry(1, 0x01020304, aes, mac), new KeyLog.Entry(2, 0x05060708, aes, null));
        final KeyLogDecryptor decryptor = new KeyLogDecryptor(entries);
        final byte[] ping = hex("090001010000");
        for (final boolean sequence : new boolean[]{ true, false })
        {
            for (final int macLength : new int[]{ 0, 10, 16, 32, 4 })
            {
                final DirectionKeys keys = new DirectionKeys(aes, 0 == macLength ? null : mac, macLength, sequence);
                final PacketProtection sender = new PacketProtection(keys, keys);
                sender.nextSendSequence(5);
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);
                buffer.putBytes(sender.packetOffset(0), ping);
                final int length = sender.encrypt(buffer, 0, ping.length);
                Multiplex.scramble(buffer, 0, length, 0 == macLength ? 0x05060708 : 0x01020304);
                final byte[] sent = PacketProtectionTest.bytes(buffer, 0, length);

                final int wrongLength = 0 == macLength ? 16 : (16 == macLength ? 10 : 16);
                assertThat(decryptor.decrypt(buffer, 0, length, wrongLength, sequence))
                    .isEqualTo(KeyLogDecryptor.NO_KEY);
                assertThat(PacketProtectionTest.bytes(buffer, 0, length)).isEqualTo(sent);
                assertThat(decryptor.decrypt(buffer, 0, length, macLength, sequence)).isPositive();
                assertThat(decryptor.hmacLength()).isEqualTo(macLength);
                assertThat(decryptor.sequenceNumber()).isEqualTo(sequence ? 5 : -1);
                assertThat(buffer.getByte(decryptor.packetOffset())).isEqualTo((byte)0x09);
                buffer.putBytes(0, sent);

                assertThat(decryptor.decrypt(buffer, 0, length)).isPositive();
                assertThat(decryptor.hmacLength()).isEqualTo(macLength);
                assertThat(decryptor.sequenceNumbers()).isEqualTo(sequence);
                assertThat(decryptor.sequenceNumber()).isEqualTo(sequence ? 5 : -1);
                assertThat(buffer.getByte(decryptor.packetOffset())).isEqualTo((byte)0x09);
            }
        }
    }
}
