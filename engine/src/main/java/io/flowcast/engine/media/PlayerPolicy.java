package io.flowcast.engine.media;

/**
 * What one player of a stream is sent, shared by RTMP and RTMFP players: it follows the GOP so that whatever a player
 * gets can be decoded.
 * <ul>
 * <li>Metadata and decoder configuration are always offered (never dropped by policy).</li>
 * <li>Video starts at a keyframe: a new player, or one that lost a video frame, waits for the next keyframe and drops
 * the rest of the current GOP meanwhile.</li>
 * <li>A player falls behind when its transport's oldest unsent output is older than the message's lifetime (audio
 * 2.2 s, video 2 s by default, config {@code audio-lifetime}/{@code video-lifetime}), or when its bounded output is
 * full ({@link #onRefused}): audio is dropped while it is behind, and video until the next keyframe that finds it
 * caught up.</li>
 * </ul>
 * Every message not sent for these reasons is counted. Not thread-safe; allocation-free.
 */
public final class PlayerPolicy
{
    private final long audioLifetimeNs;
    private final long videoLifetimeNs;
    private boolean awaitingKeyframe = true;
    private boolean receiveAudio = true;
    private boolean receiveVideo = true;
    private boolean paused;
    private long dropped;
    private long droppedVideo;
    private long gopsDropped;

    /**
     * @param audioLifetimeNs how long audio may wait in the output before the player counts as behind.
     * @param videoLifetimeNs how long video may wait.
     */
    public PlayerPolicy(final long audioLifetimeNs, final long videoLifetimeNs)
    {
        this.audioLifetimeNs = audioLifetimeNs;
        this.videoLifetimeNs = videoLifetimeNs;
    }

    /**
     * Decide whether to offer a message to the player's output.
     *
     * @param kind      the message's {@link MessageKind}.
     * @param backlogNs age of the player's oldest unsent output ({@link MessageChannel#backlogNs}).
     * @return true to offer it; false when it is dropped (counted) or not wanted.
     */
    public boolean admit(final int kind, final long backlogNs)
    {
        if (MessageKind.isConfig(kind) || MessageKind.DATA == kind)
        {
            return true;
        }
        if (paused)
        {
            return false;
        }
        if (MessageKind.AUDIO == kind)
        {
            if (!receiveAudio)
            {
                return false;
            }
            if (backlogNs > audioLifetimeNs)
            {
                dropped++;
                return false;
            }
            return true;
        }
        if (!receiveVideo)
        {
            return false;
        }
        if (backlogNs > videoLifetimeNs)
        {
            dropVideo();
            return false;
        }
        if (MessageKind.KEYFRAME == kind)
        {
            awaitingKeyframe = false;
            return true;
        }
        if (awaitingKeyframe)
        {
            dropped++;
            droppedVideo++;
            return false;
        }
        return true;
    }

    /**
     * The output refused a message that {@link #admit} let through (it was full): count it; a lost video frame
     * makes the rest of its GOP undecodable, so video resumes at the next keyframe.
     *
     * @param kind the message's kind.
     */
    public void onRefused(final int kind)
    {
        if (MessageKind.isVideo(kind) || MessageKind.VIDEO_CONFIG == kind)
        {
            dropVideo();
        }
        else
        {
            dropped++;
        }
    }

    private void dropVideo()
    {
        dropped++;
        droppedVideo++;
        if (!awaitingKeyframe)
        {
            awaitingKeyframe = true;
            gopsDropped++;
        }
    }

    /**
     * @param receive NetStream.receiveAudio.
     */
    public void receiveAudio(final boolean receive)
    {
        receiveAudio = receive;
    }

    /**
     * @param receive NetStream.receiveVideo; turning video back on waits for a keyframe.
     */
    public void receiveVideo(final boolean receive)
    {
        if (receive && !receiveVideo)
        {
            awaitingKeyframe = true;
        }
        receiveVideo = receive;
    }

    /**
     * @param pause NetStream.pause; resuming waits for a keyframe.
     */
    public void pause(final boolean pause)
    {
        if (!pause && paused)
        {
            awaitingKeyframe = true;
        }
        paused = pause;
    }

    /**
     * @return true while paused.
     */
    public boolean paused()
    {
        return paused;
    }

    /**
     * @return true while video waits for a keyframe.
     */
    public boolean awaitingKeyframe()
    {
        return awaitingKeyframe;
    }

    /**
     * @return messages dropped (behind, output full, or waiting for a keyframe).
     */
    public long dropped()
    {
        return dropped;
    }

    /**
     * @return video messages dropped.
     */
    public long droppedVideo()
    {
        return droppedVideo;
    }

    /**
     * @return how many times the player lost the rest of a GOP.
     */
    public long gopsDropped()
    {
        return gopsDropped;
    }
}
