package io.flowcast.engine.transport;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryNetworkTest
{
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress A = new InetSocketAddress(InMemoryNetwork.literal("10.0.0.1"), 1000);
    private static final InetSocketAddress B = new InetSocketAddress(InMemoryNetwork.literal("10.0.0.2"), 2000);

    private final CachedNanoClock clock = new CachedNanoClock();
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[1200]);

    /** What a poll delivered: first int of the payload, source, channel, length, clock time. */
    private static final class Received implements DatagramHandler
    {
        final List<long[]> datagrams = new ArrayList<>();
        final List<InetSocketAddress> sources = new ArrayList<>();
        CachedNanoClock clock;

        @Override
        public void onDatagram(
            final MutableDirectBuffer buffer, final int offset, final int length, final InetSocketAddress source,
            final int channel)
        {
            datagrams.add(new long[] { buffer.getInt(offset), length, channel, clock.nanoTime() });
            sources.add(source);
        }
    }

    private Received received()
    {
        final Received received = new Received();
        received.clock = clock;
        return received;
    }

    private void send(final InMemoryTransport from, final int index, final int length, final InetSocketAddress to)
    {
        message.putInt(0, index);
        assertThat(from.send(-1, message, 0, length, to)).isEqualTo(DatagramTransport.SENT);
    }

    /** Run the clock 0.1 ms at a time up to {@code untilNs}, polling {@code transport}. */
    private void drain(final InMemoryTransport transport, final Received received, final long untilNs)
    {
        while (clock.nanoTime() < untilNs)
        {
            transport.poll(received, 256);
            clock.advance(100_000);
        }
        transport.poll(received, 256);
    }

    /** One run's schedule: for each datagram its fate and release time, as the tap saw them. */
    private static List<String> schedule(final long seed)
    {
        final CachedNanoClock clock = new CachedNanoClock();
        final InMemoryNetwork network = new InMemoryNetwork(clock, seed);
        final InMemoryTransport a = network.transport(A);
        final InMemoryTransport b = network.transport(B);
        network.link(a, b).loss(0.2).duplicate(0.1).delay(5 * MS).jitter(3 * MS);
        final List<String> seen = new ArrayList<>();
        network.tap((sendNs, releaseNs, source, destination, buffer, offset, length, fate) ->
            seen.add(buffer.getInt(offset) + ":" + DatagramTap.fateName(fate) + "@" + releaseNs));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);
        for (int i = 0; i < 500; i++)
        {
            buffer.putInt(0, i);
            a.send(-1, buffer, 0, 100, B);
            clock.advance(MS / 3);
        }
        return seen;
    }

    @Test
    void aSeedReplaysTheSameScheduleAndAnotherSeedDoesNot()
    {
        final List<String> first = schedule(42);
        assertThat(schedule(42)).isEqualTo(first);
        assertThat(schedule(43)).isNotEqualTo(first);
        assertThat(first).anyMatch((s) -> s.contains("LOST")).anyMatch((s) -> s.contains("DUPLICATE"));
    }

    @Test
    void datagramsArriveInReleaseOrderOnlyWhenDueAndFifoAmongEqualTimes()
    {
        final InMemoryNetwork network = new InMemoryNetwork(clock, 1);
        final InMemoryTransport a = network.transport(A);
        final InMemoryTransport b = network.transport(B);
        final List<long[]> sends = new ArrayList<>(); // index, release time
        network.tap((sendNs, releaseNs, source, destination, buffer, offset, length, fate) ->
            sends.add(new long[] { buffer.getInt(offset), releaseNs }));
        network.link(a, b).delay(10 * MS).jitter(8 * MS);
        for (int i = 0; i < 200; i++)
        {
            send(a, i, 64, B);
            clock.advance(MS / 40);
        }
        final Received received = received();
        // 5 ms later nothing is readable yet: the fixed delay has not passed
        assertThat(b.poll(received, 1000)).isZero();
        assertThat(network.nextReleaseNs()).isGreaterThanOrEqualTo(10 * MS);
        assertThat(network.nextReleaseNs()).as("something is queued").isLessThan(Long.MAX_VALUE);
        drain(b, received, 60 * MS);
        assertThat(received.datagrams).hasSize(200);
        boolean reordered = false;
        long previousRelease = Long.MIN_VALUE;
        for (int i = 0; i < received.datagrams.size(); i++)
        {
            final long[] d = received.datagrams.get(i);
            final long release = sends.get((int)d[0])[1];
            assertThat(release).as("release order").isGreaterThanOrEqualTo(previousRelease);
            assertThat(d[3]).as("delivered no earlier than its release").isGreaterThanOrEqualTo(release);
            assertThat(d[3] - release).as("and within one poll step").isLessThanOrEqualTo(100_000);
            previousRelease = release;
            reordered |= d[0] != i;
        }
        assertThat(reordered).as("jitter reorders").isTrue();

        // equal release times: send order
        network.link(a, b).clear();
        for (int i = 0; i < 50; i++)
        {
            send(a, 1000 + i, 64, B);
        }
        final Received fifo = received();
        b.poll(fifo, 1000);
        assertThat(fifo.datagrams).extracting((d) -> d[0]).containsExactlyElementsOf(
            java.util.stream.LongStream.range(1000, 1050).boxed().toList());
        assertThat(fifo.sources).containsOnly(A);
    }

    @Test
    void lossAndDuplicationRatesAreRoughlyAsConfigured()
    {
        final InMemoryNetwork network = new InMemoryNetwork(clock, 7, 1 << 17, 64);
        final InMemoryTransport a = network.transport(A);
        final InMemoryTransport b = network.transport(B);
        final LinkSchedule link = network.link(a, b).loss(0.1).duplicate(0.05);
        final int n = 100_000;
        for (int i = 0; i < n; i++)
        {
            send(a, i, 16, B);
        }
        assertThat(link.sent()).isEqualTo(n);
        assertThat((double)link.lost() / n).isBetween(0.095, 0.105);
        assertThat((double)link.duplicated() / (n - link.lost())).isBetween(0.045, 0.055);
        assertThat(link.queued()).isEqualTo(n - link.lost() + link.duplicated());
        assertThat(b.waiting()).isEqualTo((int)link.queued());
        final Received received = received();
        assertThat(b.poll(received, Integer.MAX_VALUE)).isEqualTo((int)link.queued());
    }

    @Test
    void chosenDropsBlackholeAndTheOtherDirectionAreIndependent()
    {
        final InMemoryNetwork network = new InMemoryNetwork(clock, 3);
        final InMemoryTransport a = network.transport(A);
        final InMemoryTransport b = network.transport(B);
        network.link(a, b).drop((index) -> index % 3 == 1);
        for (int i = 0; i < 9; i++)
        {
            send(a, i, 32, B);
        }
        final Received atB = received();
        b.poll(atB, 100);
        assertThat(atB.datagrams).extracting((d) -> d[0]).containsExactly(0L, 2L, 3L, 5L, 6L, 8L);
        assertThat(network.link(a, b).chosenDropped()).isEqualTo(3);

        network.link(b, a).blackhole(true);
        send(b, 100, 32, A);
        send(a, 101, 32, B); // index 9: not chosen
        final Received atA = received();
        assertThat(a.poll(atA, 100)).isZero();
        assertThat(b.poll(atB, 100)).isEqualTo(1);
        assertThat(network.link(b, a).blackholed()).isEqualTo(1);
        network.link(b, a).blackhole(false);
        send(b, 102, 32, A);
        assertThat(a.poll(atA, 100)).isEqualTo(1);
    }

    @Test
    void boundsAreKeptAndDropsCounted()
    {
        final InMemoryNetwork network = new InMemoryNetwork(clock, 5, 16, 1200);
        final InMemoryTransport a = network.transport(A);
        final InMemoryTransport b = network.transport(B);
        final List<Integer> fates = new ArrayList<>();
        network.tap((sendNs, releaseNs, source, destination, buffer, offset, length, fate) -> fates.add(fate));
        for (int i = 0; i < 20; i++)
        {
            send(a, i, 100, B);
        }
        assertThat(b.waiting()).isEqualTo(16);
        assertThat(b.receiverFullDrops()).isEqualTo(4);
        assertThat(fates.subList(16, 20)).containsOnly(DatagramTap.RECEIVER_FULL);
        final UnsafeBuffer big = new UnsafeBuffer(new byte[1201]);
        b.poll(received(), 100);
        a.send(-1, big, 0, 1201, B);
        assertThat(b.receiverFullDrops()).as("longer than a slot").isEqualTo(5);

        // a bottleneck of 1 MB/s with a 3,000-byte queue: 1,000-byte datagrams leave 1 ms apart, the 4th waits too long
        network.link(a, b).bandwidth(1_000_000, 3_000).delay(2 * MS);
        final long start = clock.nanoTime();
        fates.clear();
        final List<Long> releases = new ArrayList<>();
        network.tap((sendNs, releaseNs, source, destination, buffer, offset, length, fate) ->
        {
            fates.add(fate);
            releases.add(releaseNs - start);
        });
        for (int i = 0; i < 5; i++)
        {
            send(a, i, 1000, B);
        }
        assertThat(fates).containsExactly(DatagramTap.QUEUED, DatagramTap.QUEUED, DatagramTap.QUEUED,
            DatagramTap.QUEUE_FULL, DatagramTap.QUEUE_FULL);
        assertThat(releases.subList(0, 3)).containsExactly(3 * MS, 4 * MS, 5 * MS);
        assertThat(network.link(a, b).queueDropped()).isEqualTo(2);
        clock.advance(2 * MS); // two have left the queue
        fates.clear();
        send(a, 5, 1000, B);
        assertThat(fates).containsExactly(DatagramTap.QUEUED);

        // unroutable and closed
        send(a, 6, 10, new InetSocketAddress(InMemoryNetwork.literal("10.9.9.9"), 1));
        assertThat(network.unroutable()).isEqualTo(1);
        b.close();
        send(a, 7, 10, B);
        assertThat(network.unroutable()).isEqualTo(2);
        assertThatThrownBy(() -> network.link(a, a).loss(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> network.transport(A)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rebindChangesTheSourceAndTheOldAddressGoesAwayUnlessKept()
    {
        final InMemoryNetwork network = new InMemoryNetwork(clock, 9);
        final InMemoryTransport a = network.transport(A);
        final InMemoryTransport b = network.transport(B);
        final InetSocketAddress moved = new InetSocketAddress(InMemoryNetwork.literal("10.0.0.1"), 1001);
        a.rebind(0, moved, true);
        assertThat(a.localAddress(0)).isEqualTo(moved);
        send(a, 1, 8, B);
        final Received atB = received();
        b.poll(atB, 10);
        assertThat(atB.sources).containsExactly(moved);
        send(b, 2, 8, A); // the old address still reaches it
        send(b, 3, 8, moved);
        final Received atA = received();
        a.poll(atA, 10);
        assertThat(atA.datagrams).hasSize(2);

        final InetSocketAddress again = new InetSocketAddress(InMemoryNetwork.literal("10.0.0.1"), 1002);
        a.rebind(0, again, false);
        send(b, 4, 8, moved);
        send(b, 5, 8, again);
        final Received later = received();
        a.poll(later, 10);
        assertThat(later.datagrams).extracting((d) -> d[0]).containsExactly(5L);
    }

    @Test
    void ipv6AndIpv4ChannelsArePickedByFamily()
    {
        final InMemoryNetwork network = new InMemoryNetwork(clock, 11);
        final InetSocketAddress a6 = new InetSocketAddress(InMemoryNetwork.literal("fd00::1"), 0);
        final InMemoryTransport a = network.transport(A, a6);
        final InMemoryTransport b6 = network.transport("fd00::2", 3000);
        assertThat(a.channelCount()).isEqualTo(2);
        assertThat(a.localAddress(1).getPort()).isPositive();
        send(a, 1, 8, b6.localAddress(0));
        final Received received = received();
        b6.poll(received, 10);
        assertThat(received.sources).containsExactly(a.localAddress(1));
        assertThat(b6.send(-1, message, 0, 8, B)).as("no IPv4 channel").isEqualTo(DatagramTransport.DROPPED_NO_ROUTE);
        b6.send(-1, message, 0, 8, a.localAddress(1));
        final Received atA = received();
        a.poll(atA, 10);
        assertThat(atA.datagrams.get(0)[2]).as("arrived on the IPv6 channel").isEqualTo(1);
    }

    @Test
    void steadyStateSendAndPollAllocateNothing()
    {
        final InMemoryNetwork network = new InMemoryNetwork(clock, 13, 1024, 1200);
        final InMemoryTransport a = network.transport(A);
        final InMemoryTransport b = network.transport(B);
        network.link(a, b).loss(0.05).duplicate(0.05).delay(MS).jitter(MS).bandwidth(100_000_000, 200_000);
        final DatagramHandler sink = (buffer, offset, length, source, channel) -> { };
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        final long[] allocated = new long[6];
        for (int round = 0; round < allocated.length; round++)
        {
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 100_000; i++)
            {
                a.send(-1, message, 0, 1000, B);
                clock.advance(20_000);
                b.poll(sink, 64);
            }
            allocated[round] = threads.getThreadAllocatedBytes(thread) - before;
        }
        System.out.println("InMemoryNetwork allocated per round of 100,000 datagrams: " +
            java.util.Arrays.toString(allocated));
        // the quietest round after the first (a JIT compilation or a deoptimization can charge a few hundred bytes to
        // any round, as in the engine's other allocation tests)
        assertThat(java.util.Arrays.stream(allocated, 1, allocated.length).min().getAsLong()).isZero();
    }
}
