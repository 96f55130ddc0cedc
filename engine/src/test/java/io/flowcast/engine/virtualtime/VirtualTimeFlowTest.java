package io.flowcast.engine.virtualtime;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static io.flowcast.engine.virtualtime.VirtualTimeTesting.MS;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.SECOND;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * §3.6.2 / §3.6.3 in virtual time: fragmentation and reassembly as seen on the wire, abandonment with Forward
 * Sequence Number updates, and a flow's close.
 */
@Timeout(60)
@ExtendWith(VirtualTimeExtension.class)
class VirtualTimeFlowTest
{
    @Test
    void aLargeMessageIsFragmentedOnTheWireAndReassembled()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(101))
        {
            final VirtualTimeHarness.Peer server = harness.server("server", "10.0.0.1", 1935, null);
            final VirtualTimeHarness.Peer client = harness.client("client", "10.0.0.2", 50000, null);
            harness.links(client, server, (link) -> link.delay(10 * MS));
            final Session session = harness.connect(client, server, 10 * SECOND)[0];
            final WireTap tap = harness.tap();
            final SendFlow flow = session.openFlow("big".getBytes(StandardCharsets.UTF_8));
            final byte[] bytes = message(0, 20_000, new SplittableRandom(1));
            assertThat(flow.offer(new UnsafeBuffer(bytes), 0, bytes.length)).isEqualTo(1);
            harness.awaitUntil("delivered", () -> server.flows.messages.size() == 1, 5 * SECOND);

            final VirtualTimeHarness.Message received = server.flows.messages.get(0);
            assertThat(received.length()).isEqualTo(bytes.length);
            assertThat(received.crc()).isEqualTo(VirtualTimeHarness.crc(bytes));
            final List<WireTap.Sent> data = tap.data(client.address());
            // one sequence number per fragment: BEGIN, MIDDLE..., END, each carrying at most a packet's worth
            assertThat(data).hasSizeGreaterThan(17);
            assertThat(data.get(0).chunk().fragmentControl()).isEqualTo(UserDataChunk.FRAGMENT_BEGIN);
            assertThat(data.get(data.size() - 1).chunk().fragmentControl()).isEqualTo(UserDataChunk.FRAGMENT_END);
            long total = 0;
            for (int i = 0; i < data.size(); i++)
            {
                final WireTap.Chunk chunk = data.get(i).chunk();
                assertThat(chunk.sequenceNumber()).isEqualTo(i + 1);
                assertThat(chunk.dataLength()).isLessThan(1152);
                if (i > 0 && i < data.size() - 1)
                {
                    assertThat(chunk.fragmentControl()).isEqualTo(UserDataChunk.FRAGMENT_MIDDLE);
                }
                total += chunk.dataLength();
            }
            assertThat(total).isEqualTo(bytes.length);
            // the metadata (startup options) go only with the first fragment: later ones are Next User Data or
            // User Data without options
            assertThat(data.get(0).chunk().type()).isEqualTo(ChunkType.USER_DATA);
            // delivered one one-way delay after the last fragment left (+ up to one 1 ms step)
            final long lastSent = data.get(data.size() - 1).sendNs();
            assertThat(received.atNs() - lastSent).isBetween(10 * MS, 12 * MS);
        }
    }
    /** What {@link #abandonInPartition} left for the checks. */
    private record Abandoned(
        VirtualTimeTesting.Pair pair, SendFlow flow, WireTap tap, long lastAbandonedSn, long keeperSn, long healedNs)
    {
    }

    /**
     * A 1 s partition of the client's direction, in which ten two-fragment messages that may live 150 ms expire
     * while one that may live a minute waits; then the partition heals and eight more follow. {@code check} runs on
     * the outcome before the harness closes.
     */
    private static void abandonInPartition(final java.util.function.Consumer<Abandoned> check)
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(102))
        {
            final VirtualTimeTesting.Pair pair = VirtualTimeTesting.pair(harness, 20 * MS, null);
            final SplittableRandom random = new SplittableRandom(2);
            final SendFlow flow = pair.warmFlow("media", null, random);
            final WireTap tap = harness.tap();
            harness.link(pair.client(), pair.server()).blackhole(true);
            long lastAbandonedSn = -1;
            for (int i = 1; i <= 10; i++)
            {
                final byte[] bytes = message(i, 2000, random); // two fragments each
                final long sn = flow.offer(new UnsafeBuffer(bytes), 0, bytes.length, SendFlow.PRIORITY_NORMAL,
                    150 * MS, false);
                assertThat(sn).isPositive();
                lastAbandonedSn = sn + 1;
                harness.runFor(10 * MS);
            }
            final byte[] keeper = message(11, 100, random);
            final long keeperSn = flow.offer(new UnsafeBuffer(keeper), 0, keeper.length, SendFlow.PRIORITY_NORMAL,
                60 * SECOND, false);
            harness.runFor(SECOND);
            final long healed = harness.nowNs();
            harness.link(pair.client(), pair.server()).blackhole(false);
            for (int i = 12; i < 20; i++)
            {
                pair.send(flow, message(i, 100, random));
            }
            harness.awaitUntil("the rest delivered", () -> pair.server().flows.messages.size() == 10, 20 * SECOND);
            check.accept(new Abandoned(pair, flow, tap, lastAbandonedSn, keeperSn, healed));
        }
    }

    @Test
    void messagesPastTheirLifetimeAreAbandonedAndTheForwardSequenceNumberSkipsThem()
    {
        abandonInPartition((run) ->
        {
            final VirtualTimeTesting.Pair pair = run.pair();
            assertThat(run.flow().messagesAbandoned()).isEqualTo(10);
            assertThat(pair.server().flows.messages).extracting(VirtualTimeHarness.Message::index)
                .containsExactly(0L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
            assertThat(pair.server().flows.gaps).as("§3.6.3.3: the skipped messages reported").isPositive();
            // on the wire after the partition: the keeper and everything after carry an FSN past the abandoned
            // messages (§3.6.2.7.1); nothing abandoned is sent again with its data
            final long last = run.lastAbandonedSn();
            final List<WireTap.Sent> after = run.tap().data(pair.client().address()).stream()
                .filter((d) -> d.sendNs() >= run.healedNs() && d.packet().delivered() && d.chunk().valid()).toList();
            assertThat(after).isNotEmpty();
            assertThat(after).filteredOn((d) -> d.chunk().sequenceNumber() >= run.keeperSn())
                .allMatch((d) -> d.chunk().forwardSequenceNumber() >= last, "FSN >= " + last);
            assertThat(after).filteredOn((d) -> d.chunk().sequenceNumber() <= last && !d.chunk().abandon())
                .as("no abandoned data resent").isEmpty();
        });
    }

    /**
     * Pins a bug: {@code SendFlow.acknowledge} (SendFlow.java, the {@code messagesAcknowledged++} under "0 ==
     * (flags & ABANDONED) && (FRAGMENT_WHOLE == fra || FRAGMENT_END == fra)") counts a message as acknowledged as
     * soon as its last fragment is, even when an earlier fragment of it is still missing at the receiver (a selective
     * ack of the END fragment past a lost BEGIN). So {@code messagesAcknowledged()} can exceed what the far end has
     * received and {@code messagesOutstanding()} can be 0 with fragments still queued, and the write-to-ack latency
     * is recorded too early. Minimal fix: count (and record latency) in {@code SendFlow.trimHead()} when the head
     * passes an acknowledged, non-abandoned WHOLE/END entry, instead of in {@code acknowledge()}.
     */
    @Test
    @Disabled("rtmfp bug, see javadoc: messagesAcknowledged counts a message whose first fragment is "
        + "unacknowledged; fix in SendFlow.trimHead at merge")
    void aMessageCountsAsAcknowledgedOnlyWhenAllItsFragmentsAre()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(103))
        {
            final VirtualTimeTesting.Pair pair = VirtualTimeTesting.pair(harness, 20 * MS, null);
            final SplittableRandom random = new SplittableRandom(3);
            final SendFlow flow = pair.warmFlow("count", null, random);
            final long base = harness.link(pair.client(), pair.server()).sent();
            harness.link(pair.client(), pair.server()).drop((index) -> index == base); // the BEGIN fragment
            pair.send(flow, message(1, 2000, random));
            final long[] worst = { 0 };
            harness.awaitUntil("delivered", () ->
            {
                worst[0] = Math.max(worst[0], flow.messagesAcknowledged() - pair.server().flows.messages.size());
                return pair.server().flows.messages.size() == 2 && 0 == flow.fragmentsQueued();
            }, 10 * SECOND);
            assertThat(worst[0]).as("acknowledged but not yet received by the far end").isZero();
            assertThat(flow.messagesAcknowledged()).isEqualTo(2);
        }
    }
    /**
     * Pins a bug: §3.6.2.3 trims abandoned entries from the head and finds the FSN <em>before</em> choosing the first
     * eligible entry; {@code SessionFlows.flush} (SessionFlows.java: {@code flow.nextEligible(nowNs)}, then
     * {@code flow.trimHead()}, then {@code flow.forwardSequenceNumber()}) picks first, so an abandoned head that
     * trimHead then removes is sent with FSN = its sequence number + 1: fsnOffset -1, a 10-byte VLU our own receiver
     * drops as BAD_FSN_OFFSET (§2.3.11: the FSN is not above the chunk's sequence number). Here, after a partition
     * in which two-fragment messages expired ({@link #abandonInPartition}), ten such User Data chunks (flags
     * BEGIN|ABN) go out. Minimal fix: in {@code SessionFlows.flush} call {@code flow.trimHead()} before {@code flow.nextEligible(nowNs)} (or skip an
     * {@code sn} below {@code flow.headSn} after trimming).
     */
    @Test
    void everyUserDataChunkCarriesAForwardSequenceNumberNotAboveItsOwn()
    {
        abandonInPartition((run) -> assertThat(run.tap().data(run.pair().client().address()))
            .allMatch((d) -> d.chunk().valid(), "decodes (fsnOffset >= 0)"));
    }
}
