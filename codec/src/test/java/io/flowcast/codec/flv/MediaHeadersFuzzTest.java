package io.flowcast.codec.flv;

import io.flowcast.codec.rtmp.AggregateReader;
import io.flowcast.codec.rtmp.UserControl;
import io.flowcast.codec.tc.TcFlowMetadata;
import io.flowcast.codec.tc.TcMessageFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded garbage through every small media flyweight: errors or values, never an exception. The buffer is exactly
 * the length given, so any over-read would throw from Agrona's bounds checks.
 */
class MediaHeadersFuzzTest
{
    @Test
    void garbageNeverThrows()
    {
        final Random random = new Random(2026);
        final FlvReader flv = new FlvReader();
        final VideoTagHeader video = new VideoTagHeader();
        final AudioTagHeader audio = new AudioTagHeader();
        final TcMessageFlyweight tc = new TcMessageFlyweight();
        final TcFlowMetadata metadata = new TcFlowMetadata();
        final UserControl userControl = new UserControl();
        final AggregateReader aggregate = new AggregateReader();
        int errors = 0;
        for (int round = 0; round < 20_000; round++)
        {
            final byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (bytes.length > 3 && random.nextBoolean())
            {
                bytes[0] = 'F';
                bytes[1] = 'L';
                bytes[2] = 'V';
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            final int length = bytes.length;

            flv.wrap(buffer, 0, length).checkPreviousTagSize(random.nextBoolean());
            if (0 == flv.readHeader())
            {
                int steps = 0;
                while (flv.next() >= 0 && ++steps < 100)
                {
                    assertThat(flv.dataOffset() + flv.dataSize()).isLessThanOrEqualTo(length);
                }
            }
            flv.wrap(buffer, 0, length);
            for (int steps = 0; flv.next() >= 0 && steps < 100; steps++)
            {
                assertThat(flv.position()).isLessThanOrEqualTo(length);
            }
            errors += video.wrap(buffer, 0, length) < 0 ? 1 : 0;
            errors += audio.wrap(buffer, 0, length) < 0 ? 1 : 0;
            if (0 == tc.wrap(buffer, 0, length))
            {
                assertThat(tc.amfOffset() + tc.amfLength()).isEqualTo(length);
                tc.timestamp();
            }
            metadata.wrap(buffer, 0, length);
            if (userControl.wrap(buffer, 0, length) >= 0 && UserControl.dataLength(userControl.eventType()) >= 8)
            {
                userControl.second();
            }
            aggregate.wrap(buffer, 0, length, 0);
            for (int steps = 0; aggregate.next() >= 0 && steps < 100; steps++)
            {
                assertThat(aggregate.payloadOffset() + aggregate.payloadLength()).isLessThanOrEqualTo(length);
            }
        }
        assertThat(errors).isPositive();
    }
}
