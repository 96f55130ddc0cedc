package io.flowcast.engine.tc;

import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.codec.tc.TcFlowMetadata;
import io.flowcast.engine.flow.SendFlow;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What the server and our clients agree on for RFC 7425 flows: the TC metadata of a stream's flows, which flow a
 * message type goes on, and its priority.
 * <p>
 * Per NetStream one flow carries commands and data, one audio, one video (RFC 7425 §5.1; the reference and Flash do
 * the same), so that a lost video fragment never holds up audio or a status message. Priorities (RFC 7016 §3.6.2.3):
 * commands and data first, then audio, then video, as the reference orders them.
 */
public final class TcFlows
{
    /** Commands, data and user control. */
    public static final int PRIORITY_DATA = SendFlow.PRIORITY_HIGHEST;
    /** Audio. */
    public static final int PRIORITY_AUDIO = SendFlow.PRIORITY_HIGH;
    /** Video. */
    public static final int PRIORITY_VIDEO = SendFlow.PRIORITY_NORMAL + 1;

    /** Index of a stream's command/data flow. */
    public static final int DATA = 0;
    /** Index of a stream's audio flow. */
    public static final int AUDIO = 1;
    /** Index of a stream's video flow. */
    public static final int VIDEO = 2;
    /** Flows per stream. */
    public static final int KINDS = 3;

    private TcFlows()
    {
    }

    /**
     * @param streamId the RTMP message stream ID.
     * @return the flow metadata {@code 'T' 'C' 04 streamID} (RFC 7425 §5.1.1, sequence order).
     */
    public static byte[] metadata(final long streamId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[TcFlowMetadata.encodedLength(streamId)]);
        TcFlowMetadata.encode(buffer, 0, streamId, false);
        return buffer.byteArray();
    }

    /**
     * @param messageType an RTMP message type.
     * @return {@link #AUDIO}, {@link #VIDEO} or {@link #DATA}.
     */
    public static int kind(final int messageType)
    {
        switch (messageType)
        {
            case MessageType.AUDIO:
                return AUDIO;
            case MessageType.VIDEO:
                return VIDEO;
            default:
                return DATA;
        }
    }

    /**
     * @param kind {@link #AUDIO}, {@link #VIDEO} or {@link #DATA}.
     * @return its priority.
     */
    public static int priority(final int kind)
    {
        return AUDIO == kind ? PRIORITY_AUDIO : VIDEO == kind ? PRIORITY_VIDEO : PRIORITY_DATA;
    }
}
