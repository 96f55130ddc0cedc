package io.flowcast.engine.flow;

import io.flowcast.engine.session.SessionState;

import io.flowcast.codec.rtmfp.DataAckBitmapChunk;
import io.flowcast.codec.rtmfp.DataAckRangesChunk;
import io.flowcast.codec.rtmfp.UserDataChunk;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile far end's flow chunks, well framed but with random flow IDs, sequence numbers, forward sequence numbers
 * (up to 2^53), fragment controls, abandon/final flags, options and acknowledgements of things never sent: fed straight
 * into an open session's flows. Nothing throws, the tables stay within their bounds, and a real flow still delivers.
 */
@Tag("slow")
@Timeout(120)
class FlowFuzzTest
{
    @Test
    void randomFlowChunksNeverBreakTheSession() throws Exception
    {
        final FlowReliabilityTest.Collector serverFlows = new FlowReliabilityTest.Collector();
        try (FlowPair pair = new FlowPair(serverFlows, new FlowReliabilityTest.Collector(), 0, 0, 0, 53,
            (context) -> context.maxReceiveFlowsPerSession(64).flowBufferBytes(64 * 1024).maxReorderFragments(4096)))
        {
            // the server has a sending flow of its own, for the acks to aim at
            final SendFlow serverFlow = pair.serverSession.openFlow("server".getBytes(StandardCharsets.UTF_8));
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[2000]);
            for (int i = 0; i < 50; i++)
            {
                serverFlow.offer(payload, 0, 100);
            }
            // a genuine flow, open before the storm
            final SendFlow genuine = pair.clientSession.openFlow("genuine".getBytes(StandardCharsets.UTF_8));
            payload.putLong(0, 1);
            genuine.offer(payload, 0, 64);
            assertThat(pair.pumpUntil(() -> serverFlows.messages.size() == 1, 10)).isTrue();
            final SessionFlows flows = pair.serverSession.flows();
            final SplittableRandom random = new SplittableRandom(59);
            final UnsafeBuffer chunk = new UnsafeBuffer(new byte[4096]);
            final UnsafeBuffer metadata = new UnsafeBuffer(new byte[64]);
            final UserDataChunk userData = new UserDataChunk();
            final DataAckRangesChunk rangesAck = new DataAckRangesChunk();
            final DataAckBitmapChunk bitmapAck = new DataAckBitmapChunk();
            final long[] ranges = new long[64];
            int handled = 0;
            for (int i = 0; i < 200_000; i++)
            {
                flows.beginPacket(random.nextBoolean());
                final int kind = random.nextInt(10);
                if (kind < 7)
                {
                    // flow IDs 1000 and up: the client's genuine flow 1 is left alone
                    final long flowId = random.nextInt(4) == 0 ? 1000 + random.nextLong(1L << 52) :
                        1000 + random.nextInt(100);
                    final long sn = random.nextInt(3) == 0 ? random.nextLong(1L << 53) : random.nextInt(10_000);
                    final long fsnOffset = random.nextInt(3) == 0 ? random.nextLong(sn + 1) : random.nextInt(50);
                    final int flags = (random.nextInt(4) << UserDataChunk.FRA_SHIFT) |
                        (random.nextInt(8) == 0 ? UserDataChunk.FLAG_ABN : 0) |
                        (random.nextInt(16) == 0 ? UserDataChunk.FLAG_FIN : 0);
                    final int length = random.nextInt(1200);
                    final boolean withMetadata = random.nextInt(3) != 0;
                    final int written = UserDataChunk.encodeUserData(chunk, 0, chunk.capacity(), flags, flowId, sn,
                        Math.min(fsnOffset, sn), withMetadata ? metadata : null, 0, random.nextInt(64),
                        random.nextInt(5) == 0 ? random.nextInt(10) : -1, payload, 0, length);
                    if (written > 0 && userData.wrapUserData(chunk, 3, written - 3) >= 0)
                    {
                        flows.onUserData(userData);
                        handled++;
                    }
                }
                else if (kind < 9)
                {
                    final int count = random.nextInt(8);
                    long cursor = random.nextInt(100);
                    final long cumulative = cursor;
                    for (int r = 0; r < count; r++)
                    {
                        cursor += 2 + random.nextInt(20);
                        ranges[2 * r] = cursor;
                        cursor += random.nextInt(20);
                        ranges[2 * r + 1] = cursor;
                    }
                    final int written = DataAckRangesChunk.encode(chunk, 0, chunk.capacity(),
                        random.nextInt(4), random.nextInt(3) == 0 ? 0 : random.nextInt(2000), cumulative, ranges, count);
                    if (written > 0 && rangesAck.wrap(chunk, 3, written - 3) >= 0)
                    {
                        flows.onAckRanges(rangesAck);
                        handled++;
                    }
                }
                else
                {
                    final int bitmapLength = random.nextInt(32);
                    for (int b = 0; b < bitmapLength; b++)
                    {
                        metadata.putByte(b, (byte)random.nextInt(256));
                    }
                    final int written = DataAckBitmapChunk.encode(chunk, 0, chunk.capacity(), random.nextInt(4),
                        random.nextInt(2000), random.nextInt(200), metadata, 0, bitmapLength);
                    if (written > 0 && bitmapAck.wrap(chunk, 3, written - 3) >= 0)
                    {
                        flows.onAckBitmap(bitmapAck);
                        handled++;
                    }
                }
                if (random.nextInt(10) == 0)
                {
                    flows.onBufferProbe(random.nextInt(100));
                }
                if (random.nextInt(50) == 0)
                {
                    flows.onFlowException(random.nextInt(4), random.nextInt(10));
                }
                flows.endPacket();
                if (0 == (i & 1023))
                {
                    pair.doWork();
                }
            }
            System.out.println("fuzzed " + handled + " chunks; receive flows " + flows.receiveFlowCount() +
                ", server listener errors " + pair.server.counters().listenerErrors.get());
            assertThat(handled).isGreaterThan(150_000);
            assertThat(flows.receiveFlowCount()).isLessThanOrEqualTo(64);
            assertThat(pair.serverSession.state()).isEqualTo(SessionState.OPEN);

            // the genuine flow still delivers (new flows of this session are refused: the peer filled its own table)
            final int before = serverFlows.messages.size();
            payload.putLong(0, 424242);
            assertThat(genuine.offer(payload, 0, 64)).isPositive();
            assertThat(pair.pumpUntil(() -> serverFlows.messages.size() > before &&
                serverFlows.messages.get(serverFlows.messages.size() - 1)[0] == 424242, 20)).isTrue();
        }
    }
}
