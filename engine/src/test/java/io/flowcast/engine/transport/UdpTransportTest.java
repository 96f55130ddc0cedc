package io.flowcast.engine.transport;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("slow")
class UdpTransportTest
{
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress("127.0.0.1", 0);
    private static final int ROUNDS = 15;

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
    void sourceAddressesOfAlternatingPeersAreRightAndReceivingThemAllocatesNothing()
    {
        // two peers alternating (as a server's players do): the JDK's receive makes a new source address for each
        // datagram; ours maps each source to one cached address. Both paths must name the right sender.
        for (final boolean plain : new boolean[] {false, true})
        {
            System.setProperty(UdpTransport.PLAIN_RECEIVE_PROPERTY, Boolean.toString(plain));
            try (UdpTransport a = new UdpTransport(List.of(LOOPBACK_ANY_PORT), 1500, 0);
                 UdpTransport c = new UdpTransport(List.of(new InetSocketAddress("127.0.0.2", 0)), 1500, 0);
                 UdpTransport b = new UdpTransport(List.of(new InetSocketAddress("::", 0)), 1500, 0))
            {
                final InetSocketAddress target = new InetSocketAddress("127.0.0.1", b.localAddress(0).getPort());
                final UnsafeBuffer message = new UnsafeBuffer(new byte[16]);
                final long[] wrong = new long[1];
                final long[] got = new long[1];
                final DatagramHandler handler = (buffer, offset, length, source, channel) ->
                {
                    final int sender = buffer.getInt(offset);
                    final InetSocketAddress expected = 0 == sender ? a.localAddress(0) : c.localAddress(0);
                    if (!expected.equals(source)) // a dual-stack socket: IPv4 peers arrive as ::ffff:a.b.c.d
                    {
                        wrong[0]++;
                    }
                    got[0]++;
                };
                final com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
                final long thread = Thread.currentThread().getId();
                long allocated = 0;
                for (int round = 0; round < ROUNDS; round++) // the early rounds warm the JIT up
                {
                    allocated = 0;
                    for (int batch = 0; batch < 20; batch++)
                    {
                        for (int i = 0; i < 100; i++)
                        {
                            message.putInt(0, i & 1);
                            (0 == (i & 1) ? a : c).send(-1, message, 0, 16, target);
                        }
                        // only the receiving side is measured
                        final long before = threads.getThreadAllocatedBytes(thread);
                        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                        final long want = got[0] + 100;
                        while (got[0] < want && System.nanoTime() < deadline)
                        {
                            b.poll(handler, 16);
                        }
                        allocated += threads.getThreadAllocatedBytes(thread) - before;
                    }
                }
                System.out.println((plain ? "DatagramChannel.receive" : "SourceAddressReceiver") +
                    ": 2,000 alternating datagrams, last round allocated " + allocated + " bytes");
                assertThat(got[0]).isEqualTo(ROUNDS * 2_000L);
                assertThat(wrong[0]).as("datagrams with a wrong source").isZero();
                if (!plain && SourceAddressReceiver.available())
                {
                    assertThat(allocated).as("bytes allocated receiving 2,000 datagrams").isLessThan(2_000);
                }
            }
            finally
            {
                System.clearProperty(UdpTransport.PLAIN_RECEIVE_PROPERTY);
            }
        }
    }

    @Test
    void ipv6SourcesAreRight()
    {
        final UdpTransport b;
        final UdpTransport a;
        try
        {
            b = new UdpTransport(List.of(new InetSocketAddress("::", 0)), 1500, 0);
            a = new UdpTransport(List.of(new InetSocketAddress("::1", 0)), 1500, 0);
        }
        catch (final RuntimeException ex)
        {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + ex.getMessage());
            return;
        }
        try (a; b;
             UdpTransport c = new UdpTransport(List.of(LOOPBACK_ANY_PORT), 1500, 0))
        {
            final InetSocketAddress v6 = new InetSocketAddress("::1", b.localAddress(0).getPort());
            final InetSocketAddress v4 = new InetSocketAddress("127.0.0.1", b.localAddress(0).getPort());
            final List<InetSocketAddress> sources = new ArrayList<>();
            final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
            for (int i = 0; i < 3; i++)
            {
                a.send(-1, message, 0, 8, v6);
                c.send(-1, message, 0, 8, v4);
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (sources.size() < 6 && System.nanoTime() < deadline)
            {
                b.poll((buffer, offset, length, source, channel) -> sources.add(source), 8);
            }
            assertThat(sources).hasSize(6);
            assertThat(sources.stream().filter(a.localAddress(0)::equals).count()).isEqualTo(3);
            assertThat(sources.stream().filter(c.localAddress(0)::equals).count()).isEqualTo(3);
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
