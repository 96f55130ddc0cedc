package io.flowcast.dissect;

import java.net.InetSocketAddress;

/**
 * One UDP datagram taken from a capture file.
 *
 * @param index          0-based position among the UDP datagrams of the capture (Wireshark frame numbers also
 *                       count non-UDP frames, so they can differ).
 * @param frame          1-based frame number in the capture, as Wireshark shows it.
 * @param timestampNanos capture time, nanoseconds since the epoch.
 * @param source         sender address and port.
 * @param destination    receiver address and port.
 * @param trafficClass   IPv4 TOS byte or IPv6 traffic class (ECN in the low two bits).
 * @param payload        the UDP payload (truncated when the capture's snap length cut it).
 * @param truncated      true when the capture holds fewer bytes than the UDP length says.
 */
public record CapturedDatagram(
    long index,
    long frame,
    long timestampNanos,
    InetSocketAddress source,
    InetSocketAddress destination,
    int trafficClass,
    byte[] payload,
    boolean truncated)
{
}
