package io.flowcast.dissect;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads UDP datagrams out of a classic pcap or a pcapng capture: either byte order, microsecond or nanosecond
 * timestamps, IPv4 and IPv6 (with extension headers), over Ethernet (VLAN tags too), Linux cooked capture v1 and
 * v2, BSD loopback and raw IP link types. Frames that are not UDP, or are later IP fragments, are skipped and
 * counted. No maintained pure-Java pcapng reader exists on Maven Central (pcap4j needs native libpcap), so this is
 * a small one of our own.
 */
public final class CaptureReader implements Closeable
{
    static final int PCAP_MAGIC_MICROS = 0xA1B2C3D4;
    static final int PCAP_MAGIC_NANOS = 0xA1B23C4D;
    static final int PCAPNG_SECTION_HEADER = 0x0A0D0D0A;
    static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int PCAPNG_INTERFACE_DESCRIPTION = 1;
    static final int PCAPNG_OBSOLETE_PACKET = 2;
    static final int PCAPNG_SIMPLE_PACKET = 3;
    static final int PCAPNG_ENHANCED_PACKET = 6;
    static final int PCAPNG_OPTION_TSRESOL = 9;

    static final int LINKTYPE_NULL = 0;
    static final int LINKTYPE_ETHERNET = 1;
    static final int LINKTYPE_RAW = 101;
    static final int LINKTYPE_LOOP = 108;
    static final int LINKTYPE_LINUX_SLL = 113;
    static final int LINKTYPE_IPV4 = 228;
    static final int LINKTYPE_IPV6 = 229;
    static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int IP_PROTOCOL_UDP = 17;
    private static final int MAX_BLOCK_LENGTH = 64 * 1024 * 1024;

    private final InputStream in;
    private final boolean pcapng;
    private ByteOrder order;
    private int linkType;
    private long nanosPerTick;
    private final List<long[]> interfaces = new ArrayList<>(); // {linkType, nanosPerTick, ticksPerSecond}
    private long frame;
    private long index;
    private long skipped;

    private CaptureReader(final InputStream in) throws IOException
    {
        this.in = in;
        final byte[] head = readFully(4);
        final int big = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN).getInt();
        final int little = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (big == PCAPNG_SECTION_HEADER)
        {
            pcapng = true;
            readSectionHeader();
        }
        else if (big == PCAP_MAGIC_MICROS || big == PCAP_MAGIC_NANOS)
        {
            pcapng = false;
            order = ByteOrder.BIG_ENDIAN;
            readPcapHeader(big == PCAP_MAGIC_NANOS);
        }
        else if (little == PCAP_MAGIC_MICROS || little == PCAP_MAGIC_NANOS)
        {
            pcapng = false;
            order = ByteOrder.LITTLE_ENDIAN;
            readPcapHeader(little == PCAP_MAGIC_NANOS);
        }
        else
        {
            throw new CaptureFormatException(String.format(
                "not a pcap or pcapng capture (first bytes %02x %02x %02x %02x)", head[0], head[1], head[2], head[3]));
        }
    }

    /**
     * @param path of a .pcap or .pcapng file.
     * @return a reader positioned on the first datagram.
     * @throws IOException when the file cannot be read or is not a capture.
     */
    public static CaptureReader open(final Path path) throws IOException
    {
        final InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try
        {
            return new CaptureReader(in);
        }
        catch (final IOException | RuntimeException ex)
        {
            in.close();
            throw ex;
        }
    }

    /**
     * @param in stream of a capture; closed by {@link #close()}.
     * @return a reader positioned on the first datagram.
     * @throws IOException when the stream is not a capture.
     */
    public static CaptureReader open(final InputStream in) throws IOException
    {
        return new CaptureReader(in);
    }

    /**
     * @return the next UDP datagram, or null at the end of the capture.
     * @throws IOException on a damaged capture.
     */
    public CapturedDatagram next() throws IOException
    {
        while (true)
        {
            final CapturedDatagram datagram = pcapng ? nextPcapng() : nextPcap();
            if (datagram != END_MARK)
            {
                return datagram;
            }
        }
    }

    /**
     * @return frames that were not UDP over IP (or were later IP fragments) and so were skipped.
     */
    public long skippedFrames()
    {
        return skipped;
    }

    /**
     * @return true for pcapng, false for classic pcap.
     */
    public boolean isPcapng()
    {
        return pcapng;
    }

    @Override
    public void close() throws IOException
    {
        in.close();
    }

    // Sentinel: a frame was consumed but held no UDP datagram.
    private static final CapturedDatagram END_MARK = new CapturedDatagram(
        -1, -1, 0, null, null, 0, new byte[0], false);

    private void readPcapHeader(final boolean nanos) throws IOException
    {
        final ByteBuffer header = ByteBuffer.wrap(readFully(20)).order(order);
        header.getShort(); // version major
        header.getShort(); // version minor
        header.getInt(); // thiszone
        header.getInt(); // sigfigs
        header.getInt(); // snaplen
        linkType = header.getInt() & 0x0FFFFFFF; // upper bits may carry FCS info
        nanosPerTick = nanos ? 1 : 1000;
    }

    private CapturedDatagram nextPcap() throws IOException
    {
        final byte[] recordHeader = readOrEnd(16);
        if (null == recordHeader)
        {
            return null;
        }
        final ByteBuffer header = ByteBuffer.wrap(recordHeader).order(order);
        final long seconds = header.getInt() & 0xFFFFFFFFL;
        final long fraction = header.getInt() & 0xFFFFFFFFL;
        final int captured = header.getInt();
        final int original = header.getInt();
        if (captured < 0 || captured > MAX_BLOCK_LENGTH)
        {
            throw new CaptureFormatException("pcap record " + (frame + 1) + " claims " + captured + " bytes");
        }
        frame++;
        final byte[] data = readFully(captured);
        return decodeFrame(linkType, seconds * 1_000_000_000L + fraction * nanosPerTick, data, original);
    }

    private void readSectionHeader() throws IOException
    {
        final byte[] lengthAndMagic = readFully(8);
        final int magicBig = ByteBuffer.wrap(lengthAndMagic, 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        order = magicBig == PCAPNG_BYTE_ORDER_MAGIC ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        if (ByteBuffer.wrap(lengthAndMagic, 4, 4).order(order).getInt() != PCAPNG_BYTE_ORDER_MAGIC)
        {
            throw new CaptureFormatException("pcapng section header has no byte-order magic");
        }
        final int length = ByteBuffer.wrap(lengthAndMagic, 0, 4).order(order).getInt();
        checkBlockLength(length, 28);
        readFully(length - 12); // rest of the section header: version, section length, options, trailing length
        interfaces.clear();
    }

    private CapturedDatagram nextPcapng() throws IOException
    {
        final byte[] typeBytes = readOrEnd(4);
        if (null == typeBytes)
        {
            return null;
        }
        if (ByteBuffer.wrap(typeBytes).order(ByteOrder.BIG_ENDIAN).getInt() == PCAPNG_SECTION_HEADER)
        {
            readSectionHeader();
            return END_MARK;
        }
        final int type = ByteBuffer.wrap(typeBytes).order(order).getInt();
        final int length = ByteBuffer.wrap(readFully(4)).order(order).getInt();
        checkBlockLength(length, 12);
        final ByteBuffer body = ByteBuffer.wrap(readFully(length - 8)).order(order);
        body.limit(length - 12); // the trailing copy of the length is not body

        switch (type)
        {
            case PCAPNG_INTERFACE_DESCRIPTION:
                readInterface(body);
                return END_MARK;

            case PCAPNG_ENHANCED_PACKET:
            {
                final int interfaceId = body.getInt();
                final long ticks = ((body.getInt() & 0xFFFFFFFFL) << 32) | (body.getInt() & 0xFFFFFFFFL);
                final int captured = body.getInt();
                final int original = body.getInt();
                return packet(interfaceId, ticks, body, captured, original);
            }

            case PCAPNG_OBSOLETE_PACKET:
            {
                final int interfaceId = body.getShort() & 0xFFFF;
                body.getShort(); // drops
                final long ticks = ((body.getInt() & 0xFFFFFFFFL) << 32) | (body.getInt() & 0xFFFFFFFFL);
                final int captured = body.getInt();
                final int original = body.getInt();
                return packet(interfaceId, ticks, body, captured, original);
            }

            case PCAPNG_SIMPLE_PACKET:
            {
                final int original = body.getInt();
                return packet(0, 0, body, Math.min(original, body.remaining()), original);
            }

            default:
                return END_MARK; // statistics, name resolution, custom blocks: nothing to dissect
        }
    }

    private CapturedDatagram packet(
        final int interfaceId, final long ticks, final ByteBuffer body, final int captured, final int original)
        throws CaptureFormatException
    {
        frame++;
        if (interfaceId < 0 || interfaceId >= interfaces.size())
        {
            throw new CaptureFormatException("pcapng packet " + frame + " names unknown interface " + interfaceId);
        }
        if (captured < 0 || captured > body.remaining())
        {
            throw new CaptureFormatException("pcapng packet " + frame + " claims " + captured + " bytes");
        }
        final long[] description = interfaces.get(interfaceId);
        final byte[] data = new byte[captured];
        body.get(data);
        final long nanos = description[1] > 0 ? ticks * description[1] :
            (ticks / description[2]) * 1_000_000_000L + (ticks % description[2]) * 1_000_000_000L / description[2];
        return decodeFrame((int)description[0], nanos, data, original);
    }

    private void readInterface(final ByteBuffer body)
    {
        final int link = body.getShort() & 0xFFFF;
        body.getShort(); // reserved
        body.getInt(); // snaplen
        long ticksPerSecond = 1_000_000;
        while (body.remaining() >= 4)
        {
            final int code = body.getShort() & 0xFFFF;
            final int optionLength = body.getShort() & 0xFFFF;
            if (code == 0 || optionLength > body.remaining())
            {
                break;
            }
            if (code == PCAPNG_OPTION_TSRESOL && optionLength >= 1)
            {
                final int resolution = body.get(body.position()) & 0xFF;
                final int exponent = resolution & 0x7F;
                if (exponent < 63)
                {
                    ticksPerSecond = (resolution & 0x80) != 0 ? 1L << exponent : pow10(exponent);
                }
            }
            body.position(body.position() + ((optionLength + 3) & ~3));
        }
        final long nanosPerTickHere = ticksPerSecond <= 1_000_000_000L && 1_000_000_000L % ticksPerSecond == 0 ?
            1_000_000_000L / ticksPerSecond : 0;
        interfaces.add(new long[]{ link, nanosPerTickHere, Math.max(1, ticksPerSecond) });
    }

    private static long pow10(final int exponent)
    {
        long value = 1;
        for (int i = 0; i < exponent && value < Long.MAX_VALUE / 10; i++)
        {
            value *= 10;
        }
        return value;
    }

    private CapturedDatagram decodeFrame(final int link, final long nanos, final byte[] data, final int original)
    {
        final ByteBuffer frameBuffer = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        try
        {
            final int etherType;
            switch (link)
            {
                case LINKTYPE_ETHERNET:
                {
                    frameBuffer.position(12);
                    int type = frameBuffer.getShort() & 0xFFFF;
                    while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ)
                    {
                        frameBuffer.getShort(); // tag control information
                        type = frameBuffer.getShort() & 0xFFFF;
                    }
                    etherType = type;
                    break;
                }
                case LINKTYPE_LINUX_SLL:
                    frameBuffer.position(14);
                    etherType = frameBuffer.getShort() & 0xFFFF;
                    break;
                case LINKTYPE_LINUX_SLL2:
                    etherType = frameBuffer.getShort() & 0xFFFF;
                    frameBuffer.position(20);
                    break;
                case LINKTYPE_NULL:
                case LINKTYPE_LOOP:
                {
                    // 4-byte address family, in the capturing host's byte order (NULL) or big-endian (LOOP)
                    final int familyBig = frameBuffer.getInt();
                    final int family = link == LINKTYPE_LOOP ? familyBig : Math.min(familyBig, Integer.reverseBytes(familyBig));
                    etherType = family == 2 ? ETHERTYPE_IPV4 : (family == 24 || family == 28 || family == 30) ?
                        ETHERTYPE_IPV6 : -1;
                    break;
                }
                case LINKTYPE_RAW:
                case LINKTYPE_IPV4:
                case LINKTYPE_IPV6:
                    etherType = ((data.length > 0 ? data[0] : 0) >> 4 & 0xF) == 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
                    break;
                default:
                    etherType = -1;
            }

            if (etherType == ETHERTYPE_IPV4)
            {
                return ipv4(nanos, frameBuffer.slice(), original - frameBuffer.position());
            }
            if (etherType == ETHERTYPE_IPV6)
            {
                return ipv6(nanos, frameBuffer.slice());
            }
        }
        catch (final RuntimeException | UnknownHostException ex)
        {
            // a frame too short for its own headers: not a datagram we can show
        }
        skipped++;
        return END_MARK;
    }

    private CapturedDatagram ipv4(final long nanos, final ByteBuffer ip, final int originalIpLength)
        throws UnknownHostException
    {
        final int versionIhl = ip.get(0) & 0xFF;
        final int headerLength = (versionIhl & 0xF) * 4;
        final int tos = ip.get(1) & 0xFF;
        final int fragment = ip.getShort(6) & 0xFFFF;
        final int protocol = ip.get(9) & 0xFF;
        if ((versionIhl >> 4) != 4 || headerLength < 20 || protocol != IP_PROTOCOL_UDP || (fragment & 0x1FFF) != 0)
        {
            skipped++;
            return END_MARK;
        }
        final byte[] src = new byte[4];
        final byte[] dst = new byte[4];
        ip.position(12);
        ip.get(src).get(dst);
        return udp(nanos, InetAddress.getByAddress(src), InetAddress.getByAddress(dst), tos, ip, headerLength);
    }

    private CapturedDatagram ipv6(final long nanos, final ByteBuffer ip) throws UnknownHostException
    {
        final int first = ip.getInt(0);
        if ((first >>> 28) != 6)
        {
            skipped++;
            return END_MARK;
        }
        final int trafficClass = (first >>> 20) & 0xFF;
        int next = ip.get(6) & 0xFF;
        final byte[] src = new byte[16];
        final byte[] dst = new byte[16];
        ip.position(8);
        ip.get(src).get(dst);
        int offset = 40;
        // hop-by-hop, routing, destination options: skip; fragment: only the first fragment holds the UDP header
        for (int hops = 0; hops < 8 && next != IP_PROTOCOL_UDP; hops++)
        {
            if (next == 0 || next == 43 || next == 60)
            {
                final int nextHeader = ip.get(offset) & 0xFF;
                offset += ((ip.get(offset + 1) & 0xFF) + 1) * 8;
                next = nextHeader;
            }
            else if (next == 44)
            {
                final int nextHeader = ip.get(offset) & 0xFF;
                if ((ip.getShort(offset + 2) & 0xFFF8) != 0)
                {
                    skipped++;
                    return END_MARK;
                }
                offset += 8;
                next = nextHeader;
            }
            else
            {
                break;
            }
        }
        if (next != IP_PROTOCOL_UDP)
        {
            skipped++;
            return END_MARK;
        }
        return udp(nanos, InetAddress.getByAddress(src), InetAddress.getByAddress(dst), trafficClass, ip, offset);
    }

    private CapturedDatagram udp(
        final long nanos,
        final InetAddress src,
        final InetAddress dst,
        final int trafficClass,
        final ByteBuffer ip,
        final int udpOffset)
    {
        final int sourcePort = ip.getShort(udpOffset) & 0xFFFF;
        final int destinationPort = ip.getShort(udpOffset + 2) & 0xFFFF;
        final int udpLength = ip.getShort(udpOffset + 4) & 0xFFFF;
        final int payloadOffset = udpOffset + 8;
        final int available = Math.max(0, ip.limit() - payloadOffset);
        final int wanted = udpLength >= 8 ? udpLength - 8 : available; // 0 in jumbograms: take what is there
        final int length = Math.min(wanted, available);
        final byte[] payload = new byte[length];
        ip.position(payloadOffset);
        ip.get(payload);
        return new CapturedDatagram(
            index++, frame, nanos, new InetSocketAddress(src, sourcePort), new InetSocketAddress(dst, destinationPort),
            trafficClass, payload, length < wanted);
    }

    private static void checkBlockLength(final int length, final int minimum) throws CaptureFormatException
    {
        if (length < minimum || length > MAX_BLOCK_LENGTH || (length & 3) != 0)
        {
            throw new CaptureFormatException("pcapng block with impossible length " + length);
        }
    }

    private byte[] readOrEnd(final int length) throws IOException
    {
        final byte[] bytes = in.readNBytes(length);
        if (bytes.length == 0)
        {
            return null;
        }
        if (bytes.length < length)
        {
            throw new CaptureFormatException("capture ends inside a record (truncated file?)");
        }
        return bytes;
    }

    private byte[] readFully(final int length) throws IOException
    {
        final byte[] bytes = in.readNBytes(length);
        if (bytes.length < length)
        {
            throw new EOFException("capture ends inside a record (truncated file?)");
        }
        return bytes;
    }
}
