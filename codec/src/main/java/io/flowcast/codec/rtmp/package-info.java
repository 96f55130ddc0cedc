/**
 * RTMP over TCP below the message layer (rtmp-1.0.txt §5–§7): handshake, chunk stream, protocol control and user
 * control messages, message types.
 * <p>
 * {@link io.flowcast.codec.rtmp.ChunkStreamDecoder} accepts arbitrary read slices and delivers complete messages to
 * a {@link io.flowcast.codec.rtmp.ChunkMessageHandler}, in place when a message is one chunk and whole in the slice,
 * otherwise from a per-chunk-stream buffer that grows once and is reused. It is bounded (max message length, max
 * chunk streams), applies Set Chunk Size and Abort itself, and fails with an error code on any violation.
 * {@link io.flowcast.codec.rtmp.ChunkStreamEncoder} chooses chunk types 0–3 per chunk stream state.
 * <p>
 * Extended timestamps: type 3 chunks repeat the 4-byte extended timestamp when their chunk stream's last
 * type 0/1/2 header used it (Flash/FMS/librtmp/FFmpeg behaviour; the 2009 text says type 3 chunks must not carry
 * it, which the errata and real peers contradict). A type 3 chunk starting a new message right after a type 0 uses
 * the type 0 timestamp as delta (§6.1.2.4); the encoder never emits that case, because decoders disagree on it.
 * <p>
 * {@link io.flowcast.codec.rtmp.Handshake} lays out C0–C2/S0–S2; {@link io.flowcast.codec.rtmp.HandshakeDigest}
 * implements the digest ("complex") handshake with the public Flash Player / Flash Media Server keys, using JCE
 * HmacSHA256. RTMPE (encrypted, version 6) is not implemented.
 */
package io.flowcast.codec.rtmp;
