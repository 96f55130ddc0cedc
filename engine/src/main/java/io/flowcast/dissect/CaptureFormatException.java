package io.flowcast.dissect;

import java.io.IOException;

/**
 * A capture file that is not pcap or pcapng, or is damaged beyond reading on.
 */
public final class CaptureFormatException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, naming the offset where possible.
     */
    public CaptureFormatException(final String message)
    {
        super(message);
    }
}
