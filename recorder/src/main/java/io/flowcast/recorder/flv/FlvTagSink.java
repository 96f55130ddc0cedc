package io.flowcast.recorder.flv;

import org.agrona.DirectBuffer;

import java.io.IOException;

/**
 * Where {@link io.flowcast.recorder.FlvExporter} writes FLV tags: {@link FlvFileWriter} (a file, framed by the codec's
 * {@code FlvWriter}), or anything else that takes tags (a test's list, a socket).
 */
public interface FlvTagSink extends AutoCloseable
{
    /** FLV tag type: audio. */
    int TAG_AUDIO = 8;
    /** FLV tag type: video. */
    int TAG_VIDEO = 9;
    /** FLV tag type: script data (AMF0). */
    int TAG_SCRIPT_DATA = 18;

    /**
     * Write one tag (its header, data and the PreviousTagSize after it).
     *
     * @param tagType     {@link #TAG_AUDIO}, {@link #TAG_VIDEO} or {@link #TAG_SCRIPT_DATA}.
     * @param timestampMs tag timestamp, ms (32 bits: 24 + extended 8).
     * @param buffer      holding the tag data.
     * @param offset      of the data.
     * @param length      of the data (at most 2^24 - 1).
     * @throws IOException if the output fails.
     */
    void writeTag(int tagType, long timestampMs, DirectBuffer buffer, int offset, int length) throws IOException;

    /**
     * Finish the file (the header's audio/video flags reflect the tags written).
     *
     * @throws IOException if the output fails.
     */
    @Override
    void close() throws IOException;
}
