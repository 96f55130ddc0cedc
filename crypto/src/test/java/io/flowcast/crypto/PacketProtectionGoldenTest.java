package io.flowcast.crypto;

import io.flowcast.codec.rtmfp.Multiplex;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.codec.golden.GoldenSession;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

import static io.flowcast.codec.golden.GoldenSession.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known answers: every datagram of the golden session decrypts, verifies and re-encrypts to the same bytes.
 */
class PacketProtectionGoldenTest
{
    static Map<String, DirectionKeys> goldenKeys()
    {
        final Map<String, DirectionKeys> keys = new HashMap<>();
        for (final JsonNode session : GoldenSession.keys().get("sessions"))
        {
            for (final String direction : new String[]{ "i2r", "r2i" })
            {
                final JsonNode k = session.get("keys").get(direction);
                keys.put(k.get("label").asText(), new DirectionKeys(
                    hex(k.get("aes128_cbc_key_hex").asText()),
                    hex(k.get("hmac_sha256_key_hex").asText()),
                    k.get("hmac_length").asInt(),
                    k.get("session_sequence_numbers").asBoolean()));
            }
        }
        keys.put("default", DirectionKeys.DEFAULT);
        return keys;
    }

    @Test
    void decryptsAndVerifiesAll410Datagrams()
    {
        final Map<String, DirectionKeys> keys = goldenKeys();
        final Map<String, PacketProtection> receivers = new HashMap<>();
        int hmacCount = 0;
        int checksumCount = 0;
        for (final boolean direct : new boolean[]{ false, true })
        {
            receivers.clear();
            for (final JsonNode datagram : GoldenSession.datagrams())
            {
                final String label = datagram.get("key_used").asText();
                final PacketProtection protection = receivers.computeIfAbsent(
                    label, (l) -> new PacketProtection(keys.get(l), keys.get(l)));
                final byte[] raw = hex(datagram.get("raw_hex").asText());
                final UnsafeBuffer buffer = buffer(raw, 3, direct);

                assertThat((int)Multiplex.sessionId(buffer, 3, raw.length))
                    .isEqualTo(java.nio.ByteBuffer.wrap(hex(datagram.get("session_id_hex").asText())).getInt());

                final int length = protection.decrypt(buffer, 3, raw.length);
                assertThat(length).as("datagram %s: %s", datagram.get("i"), PacketProtection.reasonName(length))
                    .isPositive();
                final byte[] plain = new byte[length];
                buffer.getBytes(protection.packetOffset(), plain);
                assertThat(hex(plain)).isEqualTo(datagram.get("plain_hex").asText());

                final byte[] decrypted = hex(datagram.get("decrypted_hex").asText());
                final byte[] ours = new byte[decrypted.length];
                buffer.getBytes(3 + 4, ours);
                assertThat(hex(ours)).isEqualTo(datagram.get("decrypted_hex").asText());
                assertThat(protection.packetOffset() - 3 - 4)
                    .isEqualTo(datagram.get("plain_offset_in_decrypted").asInt());

                if (datagram.has("session_sequence_number"))
                {
                    assertThat(protection.sequenceNumber())
                        .isEqualTo(datagram.get("session_sequence_number").asLong());
                    hmacCount++;
                }
                else
                {
                    assertThat(protection.sequenceNumber()).isEqualTo(-1);
                    checksumCount++;
                }
                assertThat(datagram.get("integrity").get("verified").asBoolean()).isTrue();
            }
        }
        assertThat(hmacCount).isEqualTo(2 * 402);
        assertThat(checksumCount).isEqualTo(2 * 8);
    }

    @Test
    void reEncryptsEveryPlaintextToTheIdenticalDatagram()
    {
        final Map<String, DirectionKeys> keys = goldenKeys();
        final Map<String, PacketProtection> senders = new HashMap<>();
        for (final boolean direct : new boolean[]{ false, true })
        {
            senders.clear();
            for (final JsonNode datagram : GoldenSession.datagrams())
            {
                final String label = datagram.get("key_used").asText();
                final PacketProtection protection = senders.computeIfAbsent(
                    label, (l) -> new PacketProtection(keys.get(l), keys.get(l)));
                if (datagram.has("session_sequence_number"))
                {
                    assertThat(protection.nextSendSequence())
                        .isEqualTo(datagram.get("session_sequence_number").asLong());
                }
                final byte[] raw = hex(datagram.get("raw_hex").asText());
                final byte[] plain = hex(datagram.get("plain_hex").asText());
                final UnsafeBuffer buffer = buffer(new byte[raw.length + PacketProtection.MAX_OVERHEAD], 5, direct);
                buffer.putBytes(protection.packetOffset(5), plain);

                final int length = protection.encrypt(buffer, 5, plain.length);
                assertThat(length).isEqualTo(raw.length);
                Multiplex.scramble(
                    buffer, 5, length, java.nio.ByteBuffer.wrap(hex(datagram.get("session_id_hex").asText())).getInt());
                final byte[] ours = new byte[length];
                buffer.getBytes(5, ours);
                assertThat(hex(ours)).as("datagram %s", datagram.get("i")).isEqualTo(datagram.get("raw_hex").asText());
            }
        }
    }

    static UnsafeBuffer buffer(final byte[] content, final int offset, final boolean direct)
    {
        final int capacity = offset + content.length + PacketProtection.MAX_OVERHEAD;
        final UnsafeBuffer buffer = direct ?
            new UnsafeBuffer(ByteBuffer.allocateDirect(capacity)) : new UnsafeBuffer(new byte[capacity]);
        buffer.putBytes(offset, content);
        return buffer;
    }
}
