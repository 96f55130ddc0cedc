package io.flowcast.engine.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UdpTransportTest
{
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void sendsAndReceivesOnLoopback()
    {
        try (UdpTransport a = new UdpTransport(List.of(LOOPBACK_ANY_PORT), 1500, 0);
             UdpTransport b = new UdpTransport(List.of(LOOPBACK_ANY_PORT), 1500, 0))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
            for (int i = 0; i < 10; i++)
            {
                message.putInt(0, i);
                assertThat(a.send(-1, message, 0, 100, b.localAddress(0))).isEqualTo(DatagramTransport.SENT);
            }

            final List<Integer> received = new ArrayList<>();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.size() < 10 && System.nanoTime() < deadline)
            {
                b.poll((buffer, offset, length, source, channel) ->
                {
                    assertThat(length).isEqualTo(100);
                    assertThat(source).isEqualTo(a.localAddress(0));
                    received.add(buffer.getInt(offset));
                }, 4);
            }
            assertThat(received).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(a.counters().datagramsOut()).isEqualTo(10);
            assertThat(b.counters().bytesIn()).isEqualTo(1000);
        }
    }

    @Test
    void dropsAndCountsOversizeDatagrams()
    {
        try (UdpTransport a = new UdpTransport(List.of(LOOPBACK_ANY_PORT), 1500, 0);
             UdpTransport b = new UdpTransport(List.of(LOOPBACK_ANY_PORT), 1500, 0))
        {
            final UnsafeBuffer big = new UnsafeBuffer(new byte[4000]);
            a.send(-1, big, 0, 4000, b.localAddress(0));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (b.counters().truncatedIn() == 0 && System.nanoTime() < deadline)
            {
                b.poll((buffer, offset, length, source, channel) -> { throw new AssertionError("delivered"); }, 1);
            }
            assertThat(b.counters().truncatedIn()).isEqualTo(1);
        }
    }

    @Test
    void refusesToSendToAFamilyItHasNoSocketFor()
    {
        try (UdpTransport a = new UdpTransport(List.of(LOOPBACK_ANY_PORT), 1500, 0))
        {
            final int result = a.send(-1, new UnsafeBuffer(new byte[8]), 0, 8, new InetSocketAddress("::1", 9));
            assertThat(result).isEqualTo(DatagramTransport.DROPPED_NO_ROUTE);
            assertThat(a.counters().dropsNoRoute()).isEqualTo(1);
        }
    }

    @Test
    void bindFailureNamesTheAddress()
    {
        try (UdpTransport a = new UdpTransport(List.of(LOOPBACK_ANY_PORT), 1500, 0))
        {
            final InetSocketAddress taken = a.localAddress(0);
            assertThatThrownBy(() -> new UdpTransport(List.of(taken), 1500, 0))
                .hasMessageContaining("cannot bind UDP")
                .hasMessageContaining(String.valueOf(taken.getPort()));
        }
    }

    @Test
    void wildcardPairOnOnePortBecomesOneDualStackSocket()
    {
        final List<InetSocketAddress> merged = UdpTransport.mergeWildcards(List.of(
            new InetSocketAddress("0.0.0.0", 1935), new InetSocketAddress("::", 1935),
            new InetSocketAddress("127.0.0.1", 1935)));
        assertThat(merged).containsExactly(new InetSocketAddress("::", 1935), new InetSocketAddress("127.0.0.1", 1935));
    }
}
