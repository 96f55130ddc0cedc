package io.flowcast.engine.virtualtime;

import io.flowcast.codec.rtmfp.ChunkType;
import io.flowcast.codec.rtmfp.UserDataChunk;
import io.flowcast.engine.rtmfp.OfferStatus;
import io.flowcast.engine.rtmfp.ReceiveFlow;
import io.flowcast.engine.rtmfp.SendFlow;
import io.flowcast.engine.rtmfp.Session;
import org.agrona.concurrent.UnsafeBuffer;
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
}
