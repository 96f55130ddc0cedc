package io.flowcast.codec.amf;

import org.agrona.DirectBuffer;

/**
 * The fixed head of an AMF0 command message (rtmp-1.0.txt §7.1.1, RFC 7425 §5.3): command name (string) and
 * transaction ID (number), read through an {@link Amf0Reader} that is left positioned at the command object.
 * Reusable; allocates nothing.
 */
public final class Amf0Command
{
    /** The first value is not a string. */
    public static final int ERROR_NAME = -100;
    /** The second value is not a number. */
    public static final int ERROR_TRANSACTION_ID = -101;

    private final Amf0Reader reader = new Amf0Reader();
    private int nameOffset;
    private int nameLength;
    private double transactionId;

    /**
     * Read the name and transaction ID of a command.
     *
     * @param buffer holding the AMF0 values (after any TC/RTMP header and format byte).
     * @param offset of the first value.
     * @param length of the values.
     * @return 0, or {@link #ERROR_NAME} / {@link #ERROR_TRANSACTION_ID} / an {@link Amf0} error code.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        reader.wrap(buffer, offset, length);
        int result = reader.next();
        if (Amf0.STRING != result)
        {
            return result < Amf0.END ? result : ERROR_NAME;
        }
        nameOffset = reader.stringOffset();
        nameLength = reader.stringLength();
        result = reader.next();
        if (Amf0.NUMBER != result)
        {
            return result < Amf0.END ? result : ERROR_TRANSACTION_ID;
        }
        transactionId = reader.number();
        return 0;
    }

    /**
     * @param name to compare with, e.g. "publish".
     * @return true if the command has that name (no allocation).
     */
    public boolean nameEquals(final CharSequence name)
    {
        return Utf8.equals(reader.buffer(), nameOffset, nameLength, name);
    }

    /**
     * @return the command name (allocates).
     */
    public String name()
    {
        return reader.buffer().getStringWithoutLengthUtf8(nameOffset, nameLength);
    }

    /**
     * @return offset of the UTF-8 name.
     */
    public int nameOffset()
    {
        return nameOffset;
    }

    /**
     * @return length of the UTF-8 name.
     */
    public int nameLength()
    {
        return nameLength;
    }

    /**
     * @return the transaction ID (0: no response expected).
     */
    public double transactionId()
    {
        return transactionId;
    }

    /**
     * @return the reader, positioned before the command object and arguments.
     */
    public Amf0Reader reader()
    {
        return reader;
    }
}
