package io.flowcast.codec.rtmp;

import io.flowcast.codec.flv.FlvWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AggregateReaderTest
{
    @Test
    void iteratesAndRebasesSubMessages()
    {
        // an aggregate body is a run of FLV tags with back pointers: write it with FlvWriter (no file header)
        final UnsafeBuffer body = new UnsafeBuffer(new byte[256]);
        final UnsafeBuffer data = new UnsafeBuffer(new byte[] { 0x17, 1, 0, 0, 0, 9, 9 });
        final FlvWriter writer = new FlvWriter().wrap(body, 0, body.capacity());
        writer.tag(MessageType.VIDEO, 5000, 0, data, 0, 7);
        writer.tag(MessageType.AUDIO, 5023, 0, data, 0, 3);
        writer.tag(MessageType.VIDEO, 5040, 0, data, 0, 5);
        final int length = writer.position();

        final AggregateReader reader = new AggregateReader().wrap(body, 0, length, 100);
        assertThat(reader.next()).isEqualTo(MessageType.VIDEO);
        assertThat(reader.timestamp()).isEqualTo(100);
        assertThat(reader.payloadLength()).isEqualTo(7);
        assertThat(body.getByte(reader.payloadOffset())).isEqualTo((byte)0x17);
        assertThat(reader.next()).isEqualTo(MessageType.AUDIO);
        assertThat(reader.timestamp()).isEqualTo(123);
        assertThat(reader.next()).isEqualTo(MessageType.VIDEO);
        assertThat(reader.timestamp()).isEqualTo(140);
        assertThat(reader.payloadLength()).isEqualTo(5);
        assertThat(reader.next()).isEqualTo(AggregateReader.END);

        assertThat(new AggregateReader().wrap(body, 0, 15, 0).next()).isEqualTo(AggregateReader.ERROR_TRUNCATED);
        assertThat(new AggregateReader().wrap(body, 0, 5, 0).next()).isEqualTo(AggregateReader.ERROR_TRUNCATED);
    }
}
