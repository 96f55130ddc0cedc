package io.flowcast.engine.flow;

import io.flowcast.engine.endpoint.EndpointCounters;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ours with ours through a transport that loses, duplicates and reorders datagrams both ways: a reliable ordered flow
 * delivers every message exactly once and in order; large messages fragment and reassemble.
 */
@Tag("slow")
@Timeout(180)
public class FlowReliabilityTest
{
    /** Collects the messages of every receiving flow: index, length and checksum, in delivery order. */
    public static class Collector implements FlowListener
    {
        public final List<long[]> messages = new ArrayList<>();
        final List<ReceiveFlow> opened = new ArrayList<>();
        int gaps;
        int closed;
        long duplicates;

        @Override
        public void onFlowOpened(final ReceiveFlow flow)
        {
            opened.add(flow);
        }

        @Override
        public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
        {
            final long index = length >= 8 ? buffer.getLong(offset) : -1;
            final CRC32 crc = new CRC32();
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            crc.update(bytes);
            messages.add(new long[] { index, length, crc.getValue() });
        }

        @Override
        public void onGap(final ReceiveFlow flow)
        {
            gaps++;
        }

        @Override
        public void onFlowClosed(final ReceiveFlow flow)
        {
            closed++;
        }
    }

    public static byte[] message(final long index, final int length, final SplittableRandom random)
    {
        final byte[] bytes = new byte[Math.max(8, length)];
        random.nextBytes(bytes);
        new UnsafeBuffer(bytes).putLong(0, index);
        return bytes;
    }

    public static long crc(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    @ParameterizedTest(name = "loss {0}")
    @CsvSource({ "0.0, 2000", "0.01, 2000", "0.10, 1000", "0.30, 400" })
    void orderedFlowDeliversEveryMessageOnceInOrder(final double loss, final int count) throws Exception
    {
        final Collector serverFlows = new Collector();
        final Collector clientFlows = new Collector();
        try (FlowPair pair = new FlowPair(serverFlows, clientFlows, loss, 0.02, TimeUnit.MILLISECONDS.toNanos(2),
            7 + (long)(loss * 100), null))
        {
            final SendFlow flow = pair.clientSession.openFlow("test-flow".getBytes(StandardCharsets.UTF_8));
            assertThat(flow).isNotNull();
            final SplittableRandom random = new SplittableRandom(11);
            final List<long[]> sent = new ArrayList<>();
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
            int next = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("flowtest.seconds", 150));
            byte[] pending = null;
            while ((serverFlows.messages.size() < count || flow.fragmentsQueued() > 0) &&
                System.nanoTime() < deadline)
            {
                while (next < count)
                {
                    if (null == pending)
                    {
                        // mostly small, some a few fragments, a few ten
                        final int kind = random.nextInt(20);
                        final int length = kind < 15 ? 8 + random.nextInt(200) :
                            kind < 19 ? 1000 + random.nextInt(4000) : 10_000 + random.nextInt(3000);
                        pending = message(next, length, random);
                    }
                    buffer.wrap(pending);
                    final long rc = flow.offer(buffer, 0, pending.length);
                    if (rc < 0)
                    {
                        assertThat(rc).isEqualTo(OfferStatus.BACK_PRESSURED);
                        break;
                    }
                    sent.add(new long[] { next, pending.length, crc(pending) });
                    pending = null;
                    next++;
                }
                pair.doWork();
            }
            final ReceiveFlow received = serverFlows.opened.isEmpty() ? null : serverFlows.opened.get(0);
            System.out.println("sender " + flow + " head=" + flow.headSn + " next=" + flow.nextSn + " scan=" +
                flow.scanSn + " live=" + flow.liveCount + " rwnd=" + flow.rxBufferSize + " out=" +
                flow.outstandingBytes + " session out=" + pair.clientSession.bytesInFlight() + " cwnd=" +
                pair.clientSession.congestionWindow() + "; receiver " + received + " highest=" +
                (null == received ? -1 : received.highestSeen) + " base=" + (null == received ? -1 : received.base));
            final EndpointCounters sc = pair.server.counters();
            System.out.println("server: udDropped=" + sc.userDataDropped.get() + " malformed=" + sc.malformedChunks.get() +
                " noRoom=" + sc.fragmentsDroppedNoRoom.get() + " listenerErr=" + sc.listenerErrors.get() +
                " fragsIn=" + sc.fragmentsReceived.get() + " dropMalformedPacket=" + sc.dropMalformedPacket.get() +
                " decrypt=" + sc.decryptFailures[1].get() + "/" + sc.decryptFailures[2].get() + "/" +
                sc.decryptFailures[4].get() + "/" + sc.decryptFailures[5].get() + "/" + sc.decryptFailures[6].get());
            System.out.printf("loss %.2f: %d messages, %d fragments sent, %d retransmitted, cwnd %d, srtt %d ms, " +
                "server dup %d%n", loss, count, flow.fragmentsSent(), flow.retransmissions(),
                pair.clientSession.congestionWindow(), pair.clientSession.srttMillis(),
                serverFlows.opened.get(0).duplicates());
            assertThat(serverFlows.opened).hasSize(1);
            assertThat(serverFlows.opened.get(0).metadata()).isEqualTo("test-flow".getBytes(StandardCharsets.UTF_8));
            assertThat(serverFlows.messages).hasSize(count);
            for (int i = 0; i < count; i++)
            {
                assertThat(serverFlows.messages.get(i)).as("message %d", i).containsExactly(sent.get(i));
            }
            assertThat(serverFlows.gaps).isZero();
            assertThat(flow.messagesAcknowledged()).isEqualTo(count);
            if (loss > 0)
            {
                assertThat(flow.retransmissions()).isPositive();
            }
        }
    }

    @Test
    void multiMegabyteMessagesFragmentAndReassemble() throws Exception
    {
        final Collector serverFlows = new Collector();
        try (FlowPair pair = new FlowPair(serverFlows, new Collector(), 0.01, 0.0, TimeUnit.MILLISECONDS.toNanos(1),
            99, (context) -> context.flowBufferBytes(8 << 20).sessionBufferBytes(16 << 20)))
        {
            final SendFlow flow = pair.clientSession.openFlow(
                "big".getBytes(StandardCharsets.UTF_8), null,
                new FlowOptions().bufferBytes(12 << 20).maxQueuedFragments(1 << 14));
            final SplittableRandom random = new SplittableRandom(5);
            final List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++)
            {
                final byte[] bytes = message(i, (3 << 20) + random.nextInt(100_000), random);
                final long rc = flow.offer(new UnsafeBuffer(bytes), 0, bytes.length);
                assertThat(rc).as("offer %d: %s", i, OfferStatus.name(rc)).isPositive();
                sent.add(bytes);
                assertThat(pair.pumpUntil(() -> flow.fragmentsQueued() == 0, 60)).isTrue();
            }
            assertThat(serverFlows.messages).hasSize(3);
            for (int i = 0; i < 3; i++)
            {
                assertThat(serverFlows.messages.get(i))
                    .containsExactly(i, sent.get(i).length, crc(sent.get(i)));
            }
        }
    }
}
