package io.flowcast.engine.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ImpairedTransportTest
{
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 9);

    /** Records what would go to the network. */
    private static final class RecordingTransport implements DatagramTransport
    {
        final List<Integer> sent = new ArrayList<>();

        @Override
        public int poll(final DatagramHandler handler, final int limit)
        {
            return 0;
        }

        @Override
        public int send(
            final int channel, final DirectBuffer buffer, final int offset, final int length,
            final InetSocketAddress destination)
        {
            sent.add(buffer.getInt(offset));
            return SENT;
        }

        @Override
        public int channelCount()
        {
            return 1;
        }

        @Override
        public InetSocketAddress localAddress(final int channel)
        {
            return PEER;
        }

        @Override
        public void close()
        {
        }
    }

    private final long[] now = { 0 };
    private final RecordingTransport network = new RecordingTransport();
    private final UnsafeBuffer datagram = new UnsafeBuffer(new byte[16]);

    private void sendNumbers(final ImpairedTransport transport, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            datagram.putInt(0, i);
            transport.send(-1, datagram, 0, 16, PEER);
        }
    }

    @Test
    void dropsChosenDatagrams()
    {
        final ImpairedTransport transport = new ImpairedTransport(
            network, () -> now[0], 1, 0, 0, 0, 0, index -> index == 1 || index == 3, 16, 64);
        sendNumbers(transport, 5);
        assertThat(network.sent).containsExactly(0, 2, 4);
        assertThat(transport.dropped()).isEqualTo(2);
    }

    @Test
    void randomLossIsNearItsProbabilityAndRepeatableBySeed()
    {
        final ImpairedTransport first = new ImpairedTransport(network, () -> now[0], 42, 0.3, 0, 0, 0, null, 16, 64);
        sendNumbers(first, 10_000);
        final List<Integer> firstRun = new ArrayList<>(network.sent);
        assertThat(first.dropped()).isBetween(2_700L, 3_300L);

        network.sent.clear();
        final ImpairedTransport second = new ImpairedTransport(network, () -> now[0], 42, 0.3, 0, 0, 0, null, 16, 64);
        sendNumbers(second, 10_000);
        assertThat(network.sent).isEqualTo(firstRun);
    }

    @Test
    void delaysAndReordersWithJitterThenReleasesEverything()
    {
        final ImpairedTransport transport = new ImpairedTransport(
            network, () -> now[0], 7, 0, 0, 1_000, 10_000, null, 1024, 64);
        sendNumbers(transport, 200);
        assertThat(network.sent).isEmpty();
        assertThat(transport.waiting()).isEqualTo(200);

        now[0] = 11_000;
        transport.doWork(now[0]);
        assertThat(network.sent).hasSize(200).containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, 200).boxed().toList());
        assertThat(network.sent).isNotEqualTo(java.util.stream.IntStream.range(0, 200).boxed().toList());
    }

    @Test
    void duplicatesAndOverflowsAreCounted()
    {
        final ImpairedTransport transport = new ImpairedTransport(network, () -> now[0], 3, 0, 1.0, 5, 0, null, 10, 64);
        sendNumbers(transport, 10);
        assertThat(transport.duplicated()).isEqualTo(10);
        assertThat(transport.delayed()).isEqualTo(10);
        assertThat(transport.overflowed()).isEqualTo(10);
        now[0] = 5;
        transport.doWork(now[0]);
        assertThat(network.sent).hasSize(10);
    }
}
