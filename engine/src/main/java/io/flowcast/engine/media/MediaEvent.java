package io.flowcast.engine.media;

/**
 * What the media server reports to its {@link MediaEventListener}.
 */
public enum MediaEvent
{
    /** A NetConnection was accepted (connect answered with NetConnection.Connect.Success). */
    CONNECT,
    /** A connect was refused (bad token, no app, limits): NetConnection.Connect.Rejected. */
    REJECT,
    /** A publisher started. */
    PUBLISH,
    /** A player started. */
    PLAY,
    /** A publisher stopped. */
    UNPUBLISH,
    /** A player stopped. */
    STOP,
    /** A NetConnection closed. */
    CLOSE;

    /**
     * @return the name used in logs: lower case, e.g. "publish".
     */
    public String label()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
