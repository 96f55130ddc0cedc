package io.flowcast.dissect;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowcast.codec.golden.GoldenSession;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaptureReaderTest
{
    @Test
    void readsEveryDatagramOfTheGoldenCapture() throws IOException
    {
        final List<CapturedDatagram> datagrams = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(GoldenSession.shared("interop/golden-session.pcap")))
        {
            assertThat(reader.isPcapng()).isFalse();
            CapturedDatagram datagram;
            while (null != (datagram = reader.next()))
            {
                datagrams.add(datagram);
            }
            assertThat(reader.skippedFrames()).isZero();
        }

        assertThat(datagrams).hasSize(GoldenSession.DATAGRAM_COUNT);
        final long firstNanos = datagrams.get(0).timestampNanos();
        for (final JsonNode expected : GoldenSession.datagrams())
        {
            final CapturedDatagram actual = datagrams.get(expected.get("i").asInt());
            assertThat(GoldenSession.hex(actual.payload())).isEqualTo(expected.get("raw_hex").asText());
            assertThat(address(actual.source())).isEqualTo(expected.get("src").asText());
            assertThat(address(actual.destination())).isEqualTo(expected.get("dst").asText());
            assertThat(actual.trafficClass()).isEqualTo(expected.get("ip_tos").asInt());
            assertThat(actual.frame()).isEqualTo(expected.get("i").asLong() + 1);
            assertThat((actual.timestampNanos() - firstNanos) / 1000L)
                .isEqualTo(Math.round(expected.get("t").asDouble() * 1_000_000));
            assertThat(actual.truncated()).isFalse();
        }
    }

    @Test
    void readsPcapngWithIpv6OverLinuxCookedV2AndNanosecondResolution() throws IOException
    {
        final byte[] payload = { 1, 2, 3, 4, 5 };
        final byte[] ipv6 = ipv6Udp(payload, 40000, 1935);
        final byte[] sll2 = new byte[20 + ipv6.length];
        sll2[0] = (byte)0x86;
        sll2[1] = (byte)0xDD;
        System.arraycopy(ipv6, 0, sll2, 20, ipv6.length);

        final PcapngBuilder builder = new PcapngBuilder(ByteOrder.LITTLE_ENDIAN);
        builder.section().interfaceDescription(CaptureReader.LINKTYPE_LINUX_SLL2, 9);
        builder.enhancedPacket(0, 1_700_000_000_123_456_789L, sll2);
        builder.enhancedPacket(0, 1_700_000_000_200_000_000L, new byte[]{ 0x08, 0x06, 0, 0 }); // ARP-ish: skipped

        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(builder.bytes())))
        {
            final CapturedDatagram datagram = reader.next();
            assertThat(reader.isPcapng()).isTrue();
            assertThat(datagram.payload()).containsExactly(payload);
            assertThat(datagram.source().getAddress()).isEqualTo(InetAddress.getByName("::1"));
            assertThat(datagram.source().getPort()).isEqualTo(40000);
            assertThat(datagram.destination().getPort()).isEqualTo(1935);
            assertThat(datagram.trafficClass()).isEqualTo(0x02);
            assertThat(datagram.timestampNanos()).isEqualTo(1_700_000_000_123_456_789L);
            assertThat(reader.next()).isNull();
            assertThat(reader.skippedFrames()).isEqualTo(1);
        }
    }

    @Test
    void readsBigEndianPcapngWithEthernetVlanAndMicroseconds() throws IOException
    {
        final byte[] payload = new byte[300];
        Arrays.fill(payload, (byte)0x5A);
        final byte[] ipv4 = ipv4Udp(payload, 5000, 6000);
        final byte[] ethernet = new byte[18 + ipv4.length];
        ethernet[12] = (byte)0x81;
        ethernet[13] = 0x00;
        ethernet[16] = 0x08;
        ethernet[17] = 0x00;
        System.arraycopy(ipv4, 0, ethernet, 18, ipv4.length);

        final PcapngBuilder builder = new PcapngBuilder(ByteOrder.BIG_ENDIAN);
        builder.section().interfaceDescription(CaptureReader.LINKTYPE_ETHERNET, -1);
        builder.enhancedPacket(0, 1_000_000L * 3 + 7, ethernet);

        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(builder.bytes())))
        {
            final CapturedDatagram datagram = reader.next();
            assertThat(datagram.payload()).containsExactly(payload);
            assertThat(datagram.destination().getPort()).isEqualTo(6000);
            assertThat(datagram.timestampNanos()).isEqualTo(3_000_007_000L);
        }
    }

    @Test
    void refusesSomethingThatIsNotACapture()
    {
        assertThatThrownBy(() -> CaptureReader.open(new ByteArrayInputStream("hello world".getBytes())))
            .isInstanceOf(CaptureFormatException.class)
            .hasMessageContaining("not a pcap or pcapng capture");
    }

    @Test
    void reportsATruncatedCaptureAsAnError() throws IOException
    {
        final byte[] whole = java.nio.file.Files.readAllBytes(GoldenSession.shared("interop/golden-session.pcap"));
        final byte[] cut = Arrays.copyOf(whole, 24 + 16 + 10);
        try (CaptureReader reader = CaptureReader.open(new ByteArrayInputStream(cut)))
        {
            assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("truncated");
        }
    }

    private static String address(final java.net.InetSocketAddress address)
    {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    static byte[] ipv4Udp(final byte[] payload, final int sourcePort, final int destinationPort)
    {
        final ByteBuffer ip = ByteBuffer.allocate(28 + payload.length);
        ip.put((byte)0x45).put((byte)0).putShort((short)(28 + payload.length)).putInt(0)
            .put((byte)64).put((byte)17).putShort((short)0).put(new byte[]{ 127, 0, 0, 1 }).put(new byte[]{ 127, 0, 0, 1 });
        ip.putShort((short)sourcePort).putShort((short)destinationPort).putShort((short)(8 + payload.length))
            .putShort((short)0).put(payload);
        return ip.array();
    }

    static byte[] ipv6Udp(final byte[] payload, final int sourcePort, final int destinationPort)
    {
        final ByteBuffer ip = ByteBuffer.allocate(48 + payload.length);
        final byte[] loopback = new byte[16];
        loopback[15] = 1;
        ip.putInt(0x6000_0000 | (0x02 << 20)).putShort((short)(8 + payload.length)).put((byte)17).put((byte)64)
            .put(loopback).put(loopback);
        ip.putShort((short)sourcePort).putShort((short)destinationPort).putShort((short)(8 + payload.length))
            .putShort((short)0).put(payload);
        return ip.array();
    }

    /** Writes small pcapng files for tests. */
    static final class PcapngBuilder
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;

        PcapngBuilder(final ByteOrder order)
        {
            this.order = order;
        }

        PcapngBuilder section()
        {
            final ByteBuffer body = ByteBuffer.allocate(16).order(order);
            body.putInt(CaptureReader.PCAPNG_BYTE_ORDER_MAGIC).putShort((short)1).putShort((short)0).putLong(-1L);
            return block(CaptureReader.PCAPNG_SECTION_HEADER, body.array());
        }

        PcapngBuilder interfaceDescription(final int linkType, final int tsresol)
        {
            final ByteBuffer body = ByteBuffer.allocate(tsresol >= 0 ? 20 : 8).order(order);
            body.putShort((short)linkType).putShort((short)0).putInt(65535);
            if (tsresol >= 0)
            {
                body.putShort((short)CaptureReader.PCAPNG_OPTION_TSRESOL).putShort((short)1).put((byte)tsresol)
                    .put(new byte[3]).putInt(0); // option, padding, opt_endofopt
            }
            return block(CaptureReader.PCAPNG_INTERFACE_DESCRIPTION, body.array());
        }

        PcapngBuilder enhancedPacket(final int interfaceId, final long ticks, final byte[] data)
        {
            final ByteBuffer body = ByteBuffer.allocate(20 + ((data.length + 3) & ~3)).order(order);
            body.putInt(interfaceId).putInt((int)(ticks >>> 32)).putInt((int)ticks)
                .putInt(data.length).putInt(data.length).put(data);
            return block(CaptureReader.PCAPNG_ENHANCED_PACKET, body.array());
        }

        private PcapngBuilder block(final int type, final byte[] body)
        {
            final int length = 12 + body.length;
            final ByteBuffer block = ByteBuffer.allocate(length).order(order);
            if (type == CaptureReader.PCAPNG_SECTION_HEADER)
            {
                block.order(ByteOrder.BIG_ENDIAN).putInt(type).order(order);
            }
            else
            {
                block.putInt(type);
            }
            block.putInt(length).put(body).putInt(length);
            out.writeBytes(block.array());
            return this;
        }

        byte[] bytes()
        {
            return out.toByteArray();
        }
    }
}
