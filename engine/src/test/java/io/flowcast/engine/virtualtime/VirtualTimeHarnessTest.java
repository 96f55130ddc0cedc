package io.flowcast.engine.virtualtime;

import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static io.flowcast.engine.virtualtime.VirtualTimeTesting.MS;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.SECOND;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.message;
import static io.flowcast.engine.virtualtime.VirtualTimeTesting.pair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The harness itself: a seed replays the same run (same datagrams at the same virtual times with the same fates),
 * waits are bounded by simulated time, the step is bounded by the timer wheel's tick, and more than two endpoints
 * share one network and clock.
 */
@Timeout(60)
@ExtendWith(VirtualTimeExtension.class)
class VirtualTimeHarnessTest
{
    /** One lossy run: every datagram as (send time, release time, source, destination, fate, length). */
    private static List<String> run(final long seed)
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(seed))
        {
            final WireTap tap = harness.tap();
            final VirtualTimeTesting.Pair pair = pair(harness, 15 * MS, null);
            harness.links(pair.client(), pair.server(), (link) -> link.loss(0.1).duplicate(0.05).jitter(5 * MS));
            final SendFlow flow = pair.clientSession().openFlow("replay".getBytes(StandardCharsets.UTF_8));
            final SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < 100; i++)
            {
                pair.send(flow, message(i, 10 + random.nextInt(3000), random));
            }
            harness.awaitUntil("delivered", () -> pair.server().flows.messages.size() == 100, 60 * SECOND);
            return tap.packets().stream().map((p) -> p.sendNs() + " " + p.releaseNs() + " " + p.source() + " " +
                p.destination() + " " + p.fate() + " " + p.length()).toList();
        }
    }

    @Test
    void aSeedReplaysTheSameRunDatagramForDatagram()
    {
        final List<String> first = run(901);
        assertThat(first).hasSizeGreaterThan(150);
        assertThat(run(901)).isEqualTo(first);
        assertThat(run(902)).isNotEqualTo(first);
    }

    @Test
    void waitsAreBoundedBySimulatedTimeAndTheStepByTheTimerTick()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(903))
        {
            final long start = harness.nowNs();
            assertThat(harness.runUntil(() -> false, 250 * MS)).isFalse();
            assertThat(harness.nowNs() - start).isEqualTo(250 * MS);
            assertThatThrownBy(() -> harness.awaitUntil("never", () -> false, 10 * MS))
                .isInstanceOf(AssertionError.class).hasMessageContaining("seed=903").hasMessageContaining("simulated");
            assertThatThrownBy(() -> harness.stepNs(VirtualTimeHarness.MAX_STEP_NS + 1))
                .isInstanceOf(IllegalArgumentException.class);
            harness.stepNs(VirtualTimeHarness.MAX_STEP_NS);
            assertThat(harness.clock().time()).isEqualTo(VirtualClock.START_EPOCH_MS + 260);
        }
    }

    @Test
    void oneServerServesTwoClientsOnTheSameNetworkAndClock()
    {
        try (VirtualTimeHarness harness = new VirtualTimeHarness(904))
        {
            final VirtualTimeHarness.Peer server = harness.server("server", "fd00::1", 1935, null);
            final VirtualTimeHarness.Peer alice = harness.client("alice", "fd00::2", 40000, null);
            final VirtualTimeHarness.Peer bob = harness.client("bob", "fd00::3", 40000, null);
            harness.links(alice, server, (link) -> link.delay(5 * MS));
            harness.links(bob, server, (link) -> link.delay(80 * MS).loss(0.05));
            final Session toAlice = harness.connect(alice, server, 20 * SECOND)[0];
            final Session toBob = harness.connect(bob, server, 20 * SECOND)[0];
            final SendFlow fromAlice = toAlice.openFlow("alice".getBytes(StandardCharsets.UTF_8));
            final SendFlow fromBob = toBob.openFlow("bob".getBytes(StandardCharsets.UTF_8));
            final SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < 50; i++)
            {
                fromAlice.offer(new org.agrona.concurrent.UnsafeBuffer(message(i, 500, random)), 0, 500);
                fromBob.offer(new org.agrona.concurrent.UnsafeBuffer(message(1000 + i, 500, random)), 0, 500);
            }
            harness.awaitUntil("both delivered", () -> server.flows.messages.size() == 100, 30 * SECOND);
            assertThat(server.flows.opened).hasSize(2);
            assertThat(server.endpoint().openSessions()).isEqualTo(2);
            assertThat(server.flows.messages.stream().filter((m) -> m.index() < 1000).map(
                VirtualTimeHarness.Message::index).toList()).isSorted().hasSize(50);
            assertThat(server.flows.messages.stream().filter((m) -> m.index() >= 1000).map(
                VirtualTimeHarness.Message::index).toList()).isSorted().hasSize(50);
            // bob's messages took longer: 80 ms each way and loss against 5 ms
            assertThat(toBob.srttMillis()).isGreaterThan(toAlice.srttMillis() + 100);
        }
    }
}
