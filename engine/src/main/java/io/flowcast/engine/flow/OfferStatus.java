package io.flowcast.engine.flow;

/**
 * Results of {@link SendFlow#offer}: a positive value is the sequence number of the message's first fragment.
 */
public final class OfferStatus
{
    /** The session is not open (yet, or any more). */
    public static final long NOT_CONNECTED = -1;
    /** The flow's or the session's send buffer is full, or the far end's receive window is closed: try again later. */
    public static final long BACK_PRESSURED = -2;
    /** The flow is closed (by this end, or by the far end's Flow Exception Report). */
    public static final long CLOSED = -4;
    /** The message is larger than the flow's send buffer can ever hold. */
    public static final long MESSAGE_TOO_LARGE = -5;

    private OfferStatus()
    {
    }

    /**
     * @param status an {@link SendFlow#offer} result.
     * @return its name.
     */
    public static String name(final long status)
    {
        if (status > 0)
        {
            return "ACCEPTED";
        }
        if (NOT_CONNECTED == status)
        {
            return "NOT_CONNECTED";
        }
        if (BACK_PRESSURED == status)
        {
            return "BACK_PRESSURED";
        }
        if (CLOSED == status)
        {
            return "CLOSED";
        }
        if (MESSAGE_TOO_LARGE == status)
        {
            return "MESSAGE_TOO_LARGE";
        }
        return "UNKNOWN(" + status + ")";
    }
}
