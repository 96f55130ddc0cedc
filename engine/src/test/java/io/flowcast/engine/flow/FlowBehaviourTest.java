package io.flowcast.engine.flow;

import io.flowcast.engine.session.SessionState;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlines, flow control with Buffer Probe, rejection, and steady-state allocation of flows.
 */
@Tag("slow")
@Timeout(120)
class FlowBehaviourTest
{
    private static final byte[] META = "meta".getBytes(StandardCharsets.UTF_8);

    @Test
    void expiredMessagesAreAbandonedAndTheFlowGoesOn() throws Exception
    {
        final AtomicBoolean blackout = new AtomicBoolean();
        final FlowReliabilityTest.Collector collector = new FlowReliabilityTest.Collector();
        try (FlowPair pair = new FlowPair(collector, new FlowReliabilityTest.Collector(), 0, 0, 0, 31, null,
            null, (index) -> blackout.get()))
        {
            final SendFlow flow = pair.clientSession.openFlow(META);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            // warm the flow up: its metadata acknowledged
            message.putLong(0, -1);
            flow.offer(message, 0, 64);
            final boolean warm = pair.pumpUntil(() -> flow.fragmentsQueued() == 0, 10);
            System.out.println("warm " + warm + " " + flow + " head=" + flow.headSn + " next=" + flow.nextSn +
                " scan=" + flow.scanSn + " sent=" + flow.fragmentsSent() + " rwnd=" + flow.rxBufferSize + " out=" +
                flow.outstandingBytes + " cwnd=" + pair.clientSession.congestionWindow() + " received " +
                collector.messages.size() + " opened " + collector.opened + " server acks sent " +
                pair.server.counters().acksSent.get() + " client acks in " + pair.client.counters().acksReceived.get() +
                " server frags in " + pair.server.counters().fragmentsReceived.get());
            assertThat(warm).isTrue();
            blackout.set(true);
            // even messages live 150 ms, odd ones 60 s; the path is dead for 1 s
            for (int i = 0; i < 20; i++)
            {
                message.putLong(0, i);
                final long lifetime = 0 == i % 2 ? TimeUnit.MILLISECONDS.toNanos(150) : TimeUnit.SECONDS.toNanos(60);
                assertThat(flow.offer(message, 0, 64, SendFlow.PRIORITY_NORMAL, lifetime, false)).isPositive();
            }
            final long blackoutEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            pair.pumpUntil(() -> System.nanoTime() > blackoutEnd, 5);
            blackout.set(false);
            for (int i = 20; i < 30; i++)
            {
                message.putLong(0, i);
                assertThat(flow.offer(message, 0, 64)).isPositive();
            }
            final boolean all = pair.pumpUntil(() -> collector.messages.size() >= 1 + 10 + 10, 30);
            System.out.println("after " + flow + " head=" + flow.headSn + " next=" + flow.nextSn +
                " scan=" + flow.scanSn + " live=" + flow.liveCount + " sent=" + flow.fragmentsSent() + " rwnd=" +
                flow.rxBufferSize + " out=" + flow.outstandingBytes + " cwnd=" + pair.clientSession.congestionWindow() +
                " erto=" + pair.clientSession.ertoMillis() + " received " + collector.messages.size() + " " +
                collector.opened + " base=" + collector.opened.get(0).base + " highest=" +
                collector.opened.get(0).highestSeen + " abandoned " + flow.messagesAbandoned() + " flags " +
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(flow.entryFlags, 0, 34)));
            assertThat(all).isTrue();
            assertThat(pair.pumpUntil(() -> flow.fragmentsQueued() == 0, 30)).isTrue();
            final List<Long> indexes = new ArrayList<>();
            for (final long[] m : collector.messages)
            {
                indexes.add(m[0]);
            }
            System.out.println("delivered " + indexes + ", abandoned " + flow.messagesAbandoned() + ", gaps " +
                collector.gaps);
            // every long-lived and later message arrived, in order; the short-lived ones were abandoned
            final List<Long> expected = new ArrayList<>();
            expected.add(-1L);
            for (long i = 1; i < 20; i += 2)
            {
                expected.add(i);
            }
            for (long i = 20; i < 30; i++)
            {
                expected.add(i);
            }
            assertThat(indexes).containsExactlyElementsOf(expected);
            assertThat(flow.messagesAbandoned()).isEqualTo(10);
            assertThat(collector.gaps).isPositive();
        }
    }

    @Test
    void expireAbandonsARangeButNotMessagesWithoutLifetime() throws Exception
    {
        final AtomicBoolean blackout = new AtomicBoolean();
        final FlowReliabilityTest.Collector collector = new FlowReliabilityTest.Collector();
        try (FlowPair pair = new FlowPair(collector, new FlowReliabilityTest.Collector(), 0, 0, 0, 41, null,
            null, (index) -> blackout.get()))
        {
            final SendFlow flow = pair.clientSession.openFlow(META);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            message.putLong(0, -1);
            flow.offer(message, 0, 64);
            assertThat(pair.pumpUntil(() -> flow.fragmentsQueued() == 0, 10)).isTrue();
            blackout.set(true);
            // a "GOP" of 60 s messages, one without a lifetime (a codec configuration) among them, then a "keyframe"
            long first = -1;
            long keyframe = -1;
            for (int i = 0; i < 7; i++)
            {
                message.putLong(0, i);
                final long lifetime = 3 == i ? 0 : TimeUnit.SECONDS.toNanos(60);
                final long sn = flow.offer(message, 0, 64, SendFlow.PRIORITY_NORMAL, lifetime, false);
                assertThat(sn).isPositive();
                first = first < 0 ? sn : first;
                keyframe = 6 == i ? sn : keyframe;
            }
            assertThat(flow.expire(first, keyframe, TimeUnit.MILLISECONDS.toNanos(100))).isEqualTo(5);
            final long blackoutEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
            pair.pumpUntil(() -> System.nanoTime() > blackoutEnd, 5);
            blackout.set(false);
            assertThat(pair.pumpUntil(() -> flow.fragmentsQueued() == 0 && collector.messages.size() >= 3, 30))
                .isTrue();
            final List<Long> indexes = new ArrayList<>();
            for (final long[] m : collector.messages)
            {
                indexes.add(m[0]);
            }
            System.out.println("expire: delivered " + indexes + ", abandoned " + flow.messagesAbandoned());
            assertThat(indexes).containsExactly(-1L, 3L, 6L);
            assertThat(flow.messagesAbandoned()).isEqualTo(5);
        }
    }

    @Test
    void messagesWithinTheirLifetimeAreNotAbandoned() throws Exception
    {
        final FlowReliabilityTest.Collector collector = new FlowReliabilityTest.Collector();
        try (FlowPair pair = new FlowPair(collector, new FlowReliabilityTest.Collector(), 0.2, 0, 0, 37, null))
        {
            final SendFlow flow = pair.clientSession.openFlow(META);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[300]);
            for (int i = 0; i < 200; i++)
            {
                message.putLong(0, i);
                assertThat(flow.offer(message, 0, 300, SendFlow.PRIORITY_NORMAL, TimeUnit.SECONDS.toNanos(60), false))
                    .isPositive();
            }
            assertThat(pair.pumpUntil(() -> collector.messages.size() == 200, 60))
                .as("%s", pair.describe(flow, collector.opened.isEmpty() ? null : collector.opened.get(0))).isTrue();
            assertThat(flow.messagesAbandoned()).isZero();
            assertThat(flow.retransmissions()).isPositive();
        }
    }

    @Test
    void zeroReceiveWindowStallsTheSenderAndBufferProbeResumesIt() throws Exception
    {
        final AtomicBoolean dropAcks = new AtomicBoolean();
        final FlowReliabilityTest.Collector collector = new FlowReliabilityTest.Collector();
        try (FlowPair pair = new FlowPair(collector, new FlowReliabilityTest.Collector(), 0, 0, 0, 41,
            (context) -> context.flowBufferBytes(32 * 1024), (index) -> dropAcks.get(), null))
        {
            final SendFlow flow = pair.clientSession.openFlow(META);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[1000]);
            message.putLong(0, 0);
            flow.offer(message, 0, 1000);
            assertThat(pair.pumpUntil(() -> collector.opened.size() == 1 && flow.fragmentsQueued() == 0, 10)).isTrue();
            final ReceiveFlow receiver = collector.opened.get(0);
            receiver.pause();
            for (int i = 1; i < 200; i++)
            {
                message.putLong(0, i);
                assertThat(flow.offer(message, 0, 1000)).isPositive();
            }
            // the receiver holds 32 KiB, then advertises a closed window: the sender stops with data queued
            assertThat(pair.pumpUntil(() -> 0 == flow.receiveWindow(), 10)).isTrue();
            final long sentAtStall = flow.fragmentsSent();
            pair.pumpUntil(() -> false, 1);
            assertThat(flow.fragmentsSent()).as("nothing sent into a closed window").isEqualTo(sentAtStall);
            assertThat(flow.fragmentsQueued()).isPositive();
            // the window-update acknowledgement on resume is lost: only a Buffer Probe can reopen it
            dropAcks.set(true);
            receiver.resume();
            pair.doWork();
            dropAcks.set(false);
            assertThat(pair.pumpUntil(() -> collector.messages.size() == 200, 30)).isTrue();
            assertThat(flow.bufferProbesSent()).isPositive();
            for (int i = 0; i < 200; i++)
            {
                assertThat(collector.messages.get(i)[0]).isEqualTo(i);
            }
        }
    }

    @Test
    void arrivalOrderFlowDeliversEachMessageOnceAndCloseCompletesBothEnds() throws Exception
    {
        final FlowReliabilityTest.Collector collector = new FlowReliabilityTest.Collector()
        {
            @Override
            public void onFlowOpened(final ReceiveFlow flow)
            {
                super.onFlowOpened(flow);
                flow.ordered(false);
            }
        };
        try (FlowPair pair = new FlowPair(collector, new FlowReliabilityTest.Collector(), 0.1, 0.02,
            TimeUnit.MILLISECONDS.toNanos(2), 61, null))
        {
            final SendFlow flow = pair.clientSession.openFlow(META);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[3000]);
            final int count = 300;
            for (int i = 0; i < count; i++)
            {
                message.putLong(0, i);
                final int length = 0 == i % 10 ? 3000 : 200; // some of three fragments
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (flow.offer(message, 0, length) == OfferStatus.BACK_PRESSURED && System.nanoTime() < deadline)
                {
                    pair.doWork();
                }
            }
            flow.close();
            assertThat(pair.pumpUntil(() -> flow.state() == SendFlow.F_COMPLETE_LINGER, 60))
                .as("%s", pair.describe(flow, collector.opened.isEmpty() ? null : collector.opened.get(0))).isTrue();
            assertThat(collector.closed).as("receiver saw the flow complete").isEqualTo(1);
            final java.util.Set<Long> seen = new java.util.HashSet<>();
            int outOfOrder = 0;
            long last = -1;
            for (final long[] m : collector.messages)
            {
                assertThat(seen.add(m[0])).as("message %d delivered once", m[0]).isTrue();
                assertThat(m[1]).isEqualTo(0 == m[0] % 10 ? 3000 : 200);
                if (m[0] < last)
                {
                    outOfOrder++;
                }
                last = m[0];
            }
            System.out.println("arrival order: " + outOfOrder + " of " + count + " delivered ahead of an earlier one");
            assertThat(seen).hasSize(count);
            assertThat(flow.messagesOutstanding()).isZero();
        }
    }

    @Test
    void rejectedFlowEndsCleanlyAndTheSessionGoesOn() throws Exception
    {
        final List<Long> exceptions = new ArrayList<>();
        final FlowReliabilityTest.Collector serverFlows = new FlowReliabilityTest.Collector()
        {
            @Override
            public void onFlowOpened(final ReceiveFlow flow)
            {
                super.onFlowOpened(flow);
                if ("reject me".equals(new String(flow.metadata(), StandardCharsets.UTF_8)))
                {
                    flow.reject(7);
                }
            }
        };
        final FlowReliabilityTest.Collector clientFlows = new FlowReliabilityTest.Collector()
        {
            @Override
            public void onSendFlowException(final SendFlow flow, final long exceptionCode)
            {
                exceptions.add(exceptionCode);
            }
        };
        try (FlowPair pair = new FlowPair(serverFlows, clientFlows, 0, 0, 0, 43, null))
        {
            final SendFlow rejected = pair.clientSession.openFlow("reject me".getBytes(StandardCharsets.UTF_8));
            final UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
            for (int i = 0; i < 5; i++)
            {
                rejected.offer(message, 0, 100);
            }
            assertThat(pair.pumpUntil(() -> rejected.state() == SendFlow.F_COMPLETE_LINGER, 10)).isTrue();
            assertThat(exceptions).containsExactly(7L);
            assertThat(rejected.isRejected()).isTrue();
            assertThat(rejected.offer(message, 0, 100)).isEqualTo(OfferStatus.CLOSED);
            assertThat(serverFlows.messages).isEmpty();
            final SendFlow accepted = pair.clientSession.openFlow(META);
            accepted.offer(message, 0, 100);
            assertThat(pair.pumpUntil(() -> serverFlows.messages.size() == 1, 10)).isTrue();
            assertThat(pair.clientSession.state()).isEqualTo(SessionState.OPEN);
        }
    }

    @Test
    void steadyStateSendAndReceiveAllocateNothing() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();
        final long[] received = new long[1];
        final FlowListener counting = new FlowListener()
        {
            @Override
            public void onFlowOpened(final ReceiveFlow flow)
            {
            }

            @Override
            public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
            {
                received[0]++;
            }
        };
        try (FlowPair pair = new FlowPair(counting, counting, 0, 0, 0, 47,
            (context) -> context.measureFlowLatency(true)))
        {
            final SendFlow flow = pair.clientSession.openFlow(META);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[100]);
            // warm-up: JIT, maps, the receiver's block store and the timer wheel reach their sizes
            pump(pair, flow, message, TimeUnit.SECONDS.toNanos(3));
            final StringBuilder report = new StringBuilder("allocated bytes per round:");
            long least = Long.MAX_VALUE;
            long messages = 0;
            for (int round = 0; round < 5; round++)
            {
                final long before = threads.getThreadAllocatedBytes(threadId);
                final long receivedBefore = received[0];
                pump(pair, flow, message, TimeUnit.MILLISECONDS.toNanos(500));
                final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
                least = Math.min(least, allocated);
                messages += received[0] - receivedBefore;
                report.append(' ').append(allocated);
            }
            System.out.println(report + "; messages " + messages);
            assertThat(messages).isGreaterThanOrEqualTo(100_000);
            assertThat(least).as("bytes allocated in the quietest round").isZero();
        }
    }

    private static void pump(final FlowPair pair, final SendFlow flow, final UnsafeBuffer message, final long nanos)
    {
        final long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0)
        {
            for (int i = 0; i < 64 && flow.offer(message, 0, message.capacity()) > 0; i++)
            {
                // fill
            }
            pair.doWork();
        }
    }
}
