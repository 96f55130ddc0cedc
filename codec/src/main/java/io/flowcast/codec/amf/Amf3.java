package io.flowcast.codec.amf;

/**
 * AMF3 type markers (amf3.txt §3.1) and the result codes of {@link Amf3Reader}.
 */
public final class Amf3
{
    public static final int UNDEFINED = 0x00;
    public static final int NULL = 0x01;
    public static final int FALSE = 0x02;
    public static final int TRUE = 0x03;
    public static final int INTEGER = 0x04;
    public static final int DOUBLE = 0x05;
    public static final int STRING = 0x06;
    public static final int XML_DOCUMENT = 0x07;
    public static final int DATE = 0x08;
    public static final int ARRAY = 0x09;
    public static final int OBJECT = 0x0A;
    public static final int XML = 0x0B;
    public static final int BYTE_ARRAY = 0x0C;
    public static final int VECTOR_INT = 0x0D;
    public static final int VECTOR_UINT = 0x0E;
    public static final int VECTOR_DOUBLE = 0x0F;
    public static final int VECTOR_OBJECT = 0x10;
    public static final int DICTIONARY = 0x11;

    /** Synthetic result: the last member of an object has been read. */
    public static final int OBJECT_END = 0x100;
    /** Synthetic result: the last element of an array, object vector or dictionary has been read. */
    public static final int ARRAY_END = 0x101;

    /** U29 maximum: 2^29 - 1. */
    public static final int U29_MAX = 0x1FFF_FFFF;

    /** No more values at depth 0. */
    public static final int END = -1;
    /** A U29, length or fixed-size field runs past the limit. */
    public static final int ERROR_TRUNCATED = -2;
    /** Unknown marker. */
    public static final int ERROR_MARKER = -3;
    /** A string, object or traits reference names an entry not (yet) in its table. */
    public static final int ERROR_REFERENCE = -4;
    /** Nesting deeper than {@link Amf3Reader#MAX_DEPTH}. */
    public static final int ERROR_DEPTH = -5;
    /** A reference table is full ({@link Amf3Reader#MAX_STRINGS}, {@link Amf3Reader#MAX_TRAITS}...). */
    public static final int ERROR_TABLE_FULL = -6;
    /** Externalizable traits: the encoding of the members is private to the class, so it cannot be read. */
    public static final int ERROR_EXTERNALIZABLE = -7;
    /** The reader hit an error earlier; it stays failed until re-wrapped. */
    public static final int ERROR_FAILED = -8;
    /** A count or length is implausible for the remaining input. */
    public static final int ERROR_LENGTH = -9;

    private Amf3()
    {
    }
}
