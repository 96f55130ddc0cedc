/**
 * RFC 7425 §5 "TC" messages: RTMP messages carried over RTMFP flows.
 * <p>
 * {@link io.flowcast.codec.tc.TcFlowMetadata} is the per-flow metadata option value
 * ({@code 'T' 'C' flags streamID-VLU}; flag 0x04 stream ID present, 0x01 receive intent network order), e.g.
 * {@code 54 43 04 01} for NetStream 1 in sequence order. {@link io.flowcast.codec.tc.TcMessageFlyweight} is the
 * message framing: type u8, timestamp u32, payload; for types 15/16/17 a format byte that must be 0 precedes the
 * AMF values. Payloads are decoded with the {@code amf}, {@code rtmp} (user control) and {@code flv} (audio/video
 * headers) flyweights; the golden session's every TC message is checked against its independent JSON decode.
 */
package io.flowcast.codec.tc;
