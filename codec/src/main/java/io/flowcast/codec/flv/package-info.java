/**
 * FLV (flv-10.1.txt): file header and tag header flyweights, the video and audio tag data headers that are also the
 * payloads of RTMP/TC audio and video messages, a streaming reader and a writer.
 * <p>
 * {@link io.flowcast.codec.flv.VideoTagHeader} understands legacy AVC (codec 7) and the de-facto HEVC codec 12, and
 * the enhanced-RTMP header (ExHeader bit, FourCC {@code avc1}/{@code hvc1}/{@code av01}/{@code vp09}), enough to
 * tell key frames and sequence headers apart. {@link io.flowcast.codec.flv.AudioTagHeader} does the same for AAC
 * (AudioSpecificConfig vs raw) and recognises the enhanced audio header. {@link io.flowcast.codec.flv.FlvReader}
 * iterates tags without allocating and returns {@code INCOMPLETE} (consuming nothing) when a tag is cut, so it can
 * read a growing receive buffer; it checks PreviousTagSize (optional). {@link io.flowcast.codec.flv.FlvWriter}
 * round-trips the test files byte for byte.
 */
package io.flowcast.codec.flv;
