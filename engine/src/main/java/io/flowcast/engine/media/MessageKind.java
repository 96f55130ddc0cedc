package io.flowcast.engine.media;

import io.flowcast.codec.flv.AudioTagHeader;
import io.flowcast.codec.flv.VideoTagHeader;
import io.flowcast.codec.rtmp.MessageType;
import org.agrona.DirectBuffer;

/**
 * What a published message is to the late-join cache and to the player policy, decided once per message by the
 * stream: decoder configuration and metadata are never dropped; a keyframe is where a player may (re)start video.
 */
public final class MessageKind
{
    /** Stream metadata (onMetaData from {@code @setDataFrame}): never dropped. */
    public static final int METADATA = 0;
    /** Video decoder configuration (AVC/HEVC sequence header, enhanced RTMP sequence start): never dropped. */
    public static final int VIDEO_CONFIG = 1;
    /** Audio decoder configuration (AAC AudioSpecificConfig, enhanced sequence start): never dropped. */
    public static final int AUDIO_CONFIG = 2;
    /** A video keyframe: a GOP starts here. */
    public static final int KEYFRAME = 3;
    /** Any other video frame (depends on the GOP's earlier frames). */
    public static final int INTER_FRAME = 4;
    /** An audio frame. */
    public static final int AUDIO = 5;
    /** Another data message (onCuePoint, onTextData...). */
    public static final int DATA = 6;

    private final VideoTagHeader video = new VideoTagHeader();
    private final AudioTagHeader audio = new AudioTagHeader();

    /**
     * @param kind a kind.
     * @return true for metadata and decoder configuration, which a player must never lose.
     */
    public static boolean isConfig(final int kind)
    {
        return kind <= AUDIO_CONFIG;
    }

    /**
     * @param kind a kind.
     * @return true for video frames.
     */
    public static boolean isVideo(final int kind)
    {
        return KEYFRAME == kind || INTER_FRAME == kind;
    }

    /**
     * Classify an audio, video or data message (metadata is recognised by the stream, not here).
     *
     * @param messageType RTMP message type.
     * @param buffer      holding the payload.
     * @param offset      of the payload.
     * @param length      of the payload.
     * @return its kind; a truncated video header counts as an inter frame, a truncated audio one as audio.
     */
    public int classify(final int messageType, final DirectBuffer buffer, final int offset, final int length)
    {
        if (MessageType.VIDEO == messageType)
        {
            if (video.wrap(buffer, offset, length) < 0)
            {
                return INTER_FRAME;
            }
            if (video.isSequenceHeader())
            {
                return VIDEO_CONFIG;
            }
            return video.isKeyframe() ? KEYFRAME : INTER_FRAME;
        }
        if (MessageType.AUDIO == messageType)
        {
            return audio.wrap(buffer, offset, length) >= 0 && audio.isSequenceHeader() ? AUDIO_CONFIG : AUDIO;
        }
        return DATA;
    }
}
