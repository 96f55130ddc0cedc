package io.flowcast.codec.amf;

/**
 * AMF0 type markers (amf0.txt §2.1) and the result codes shared by {@link Amf0Reader}.
 * <p>
 * Results of {@link Amf0Reader#next()}: a marker value (0x00..0x11) for the value just read, the synthetic
 * {@link #STRICT_ARRAY_END}, {@link #END} when the input is exhausted at depth 0, or a negative {@code ERROR_*}.
 */
public final class Amf0
{
    public static final int NUMBER = 0x00;
    public static final int BOOLEAN = 0x01;
    public static final int STRING = 0x02;
    public static final int OBJECT = 0x03;
    public static final int MOVIECLIP = 0x04;
    public static final int NULL = 0x05;
    public static final int UNDEFINED = 0x06;
    public static final int REFERENCE = 0x07;
    public static final int ECMA_ARRAY = 0x08;
    public static final int OBJECT_END = 0x09;
    public static final int STRICT_ARRAY = 0x0A;
    public static final int DATE = 0x0B;
    public static final int LONG_STRING = 0x0C;
    public static final int UNSUPPORTED = 0x0D;
    public static final int RECORDSET = 0x0E;
    public static final int XML_DOCUMENT = 0x0F;
    public static final int TYPED_OBJECT = 0x10;
    /** Switch to AMF3 for the next value (amf0.txt §3.1): the AMF3 value starts at {@link Amf0Reader#position()}. */
    public static final int AVMPLUS_OBJECT = 0x11;

    /** Synthetic result: the last element of a strict array has been read (no such marker on the wire). */
    public static final int STRICT_ARRAY_END = 0x100;

    /** No more values at depth 0: the input ended on a value boundary. */
    public static final int END = -1;
    /** A length, count or fixed-size field runs past the limit. */
    public static final int ERROR_TRUNCATED = -2;
    /** Unknown marker, or a marker not allowed here (e.g. object-end outside an object). */
    public static final int ERROR_MARKER = -3;
    /** Movieclip, recordset or unsupported marker: reserved by amf0.txt, never sent by real peers. */
    public static final int ERROR_UNSUPPORTED = -4;
    /** Nesting deeper than {@link Amf0Reader#MAX_DEPTH}. */
    public static final int ERROR_DEPTH = -5;
    /** The input ended inside an object or array. */
    public static final int ERROR_UNTERMINATED = -6;
    /** The reader hit an error earlier; it stays failed until re-wrapped. */
    public static final int ERROR_FAILED = -7;
    /** An operation was asked of the reader in the wrong state (e.g. skipping AMF3 without a position). */
    public static final int ERROR_STATE = -8;

    private Amf0()
    {
    }

    /**
     * @param result of {@link Amf0Reader#next()}.
     * @return true if the result is an error (not a value and not {@link #END}).
     */
    public static boolean isError(final int result)
    {
        return result < END;
    }
}
