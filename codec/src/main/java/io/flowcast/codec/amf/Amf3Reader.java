package io.flowcast.codec.amf;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static io.flowcast.codec.amf.Amf3.*;

/**
 * A cursor over AMF3 values (amf3.txt) in a {@link DirectBuffer}, allocating nothing once constructed.
 * <p>
 * {@link #next()} reads one value and returns its marker. Arrays, objects, object vectors and dictionaries are
 * entered: the following calls return their members until the synthetic {@link Amf3#OBJECT_END} or
 * {@link Amf3#ARRAY_END}; a member of an object or of the associative part of an array has its key in
 * {@link #keyOffset()}/{@link #keyLength()}. A reference to an earlier complex value (the object table) is
 * returned as its marker with {@link #isReference()} true and the index in {@link #referenceIndex()}; it is not
 * resolved (no object graphs). String references are resolved to the bytes of the earlier string.
 * <p>
 * The reference tables are bounded arrays reused across messages ({@link #MAX_STRINGS}, {@link #MAX_TRAITS},
 * {@link #MAX_TRAIT_MEMBERS}); overflowing one is an error, as are externalizable traits (their members are
 * encoded privately by the class). Numeric vectors (int, uint, double) are returned whole: {@link #count()}
 * elements of fixed width from {@link #valueOffset()}. Per amf3.txt, tables are per message: {@link #wrap} resets
 * them.
 */
public final class Amf3Reader
{
    /** Deepest nesting of containers accepted. */
    public static final int MAX_DEPTH = 64;
    /** Capacity of the string reference table. */
    public static final int MAX_STRINGS = 1024;
    /** Capacity of the traits reference table. */
    public static final int MAX_TRAITS = 256;
    /** Total sealed member names over all traits of one message. */
    public static final int MAX_TRAIT_MEMBERS = 1024;

    private static final int KIND_ARRAY_ASSOC = 1;
    private static final int KIND_DENSE = 2;
    private static final int KIND_OBJECT_SEALED = 3;
    private static final int KIND_OBJECT_DYNAMIC = 4;

    private final int[] stringOffsets = new int[MAX_STRINGS];
    private final int[] stringLengths = new int[MAX_STRINGS];
    private final int[] traitFirstMember = new int[MAX_TRAITS];
    private final int[] traitMemberCount = new int[MAX_TRAITS];
    private final boolean[] traitDynamic = new boolean[MAX_TRAITS];
    private final int[] traitClassString = new int[MAX_TRAITS];
    private final int[] memberStrings = new int[MAX_TRAIT_MEMBERS];

    private final int[] kind = new int[MAX_DEPTH];
    private final long[] remaining = new long[MAX_DEPTH];
    private final int[] trait = new int[MAX_DEPTH];
    private final int[] sealedIndex = new int[MAX_DEPTH];

    private DirectBuffer buffer;
    private int limit;
    private int position;
    private int depth;
    private boolean failed;
    private int stringCount;
    private int objectCount;
    private int traitCount;
    private int memberCount;

    private int marker;
    private boolean reference;
    private int referenceIndex;
    private int integer;
    private double number;
    private int valueOffset;
    private int valueLength;
    private long count;
    private int keyOffset;
    private int keyLength;
    private int traitIndex;

    private int u29Value;

    /**
     * Wrap a region of AMF3 values and reset the reference tables.
     *
     * @param buffer holding the values.
     * @param offset of the first marker.
     * @param length of the region.
     * @return this.
     */
    public Amf3Reader wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        depth = 0;
        failed = false;
        stringCount = 0;
        objectCount = 0;
        traitCount = 0;
        memberCount = 0;
        keyLength = -1;
        marker = END;
        return this;
    }

    /**
     * Read the next value.
     *
     * @return its marker, {@link Amf3#OBJECT_END} / {@link Amf3#ARRAY_END} closing a container, {@link Amf3#END}
     * at the end of input at depth 0, or a negative {@code ERROR_*} code.
     */
    public int next()
    {
        if (failed)
        {
            return ERROR_FAILED;
        }
        keyLength = -1;
        if (depth > 0)
        {
            final int top = depth - 1;
            switch (kind[top])
            {
                case KIND_DENSE:
                    if (0 == remaining[top])
                    {
                        depth--;
                        return marker = ARRAY_END;
                    }
                    remaining[top]--;
                    break;

                case KIND_ARRAY_ASSOC:
                {
                    final int result = readStringValue();
                    if (result < 0)
                    {
                        return fail(result);
                    }
                    if (0 == valueLength)
                    {
                        kind[top] = KIND_DENSE; // empty key ends the associative part; dense values follow
                        return next();
                    }
                    keyOffset = valueOffset;
                    keyLength = valueLength;
                    break;
                }

                case KIND_OBJECT_SEALED:
                {
                    final int t = trait[top];
                    if (sealedIndex[top] < traitMemberCount[t])
                    {
                        final int s = memberStrings[traitFirstMember[t] + sealedIndex[top]++];
                        keyOffset = stringOffsets[s];
                        keyLength = stringLengths[s];
                        break;
                    }
                    if (!traitDynamic[t])
                    {
                        depth--;
                        return marker = OBJECT_END;
                    }
                    kind[top] = KIND_OBJECT_DYNAMIC;
                    return next();
                }

                case KIND_OBJECT_DYNAMIC:
                default:
                {
                    final int result = readStringValue();
                    if (result < 0)
                    {
                        return fail(result);
                    }
                    if (0 == valueLength)
                    {
                        depth--;
                        return marker = OBJECT_END;
                    }
                    keyOffset = valueOffset;
                    keyLength = valueLength;
                    break;
                }
            }
        }

        if (position >= limit)
        {
            return depth > 0 ? fail(ERROR_TRUNCATED) : (marker = END);
        }

        final int m = buffer.getByte(position++) & 0xFF;
        reference = false;
        switch (m)
        {
            case UNDEFINED:
            case NULL:
            case FALSE:
            case TRUE:
                break;

            case INTEGER:
                if (!readU29())
                {
                    return fail(ERROR_TRUNCATED);
                }
                integer = (u29Value << 3) >> 3; // sign-extend 29 bits
                break;

            case DOUBLE:
                if (position + 8 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                number = buffer.getDouble(position, ByteOrder.BIG_ENDIAN);
                position += 8;
                break;

            case STRING:
            {
                final int result = readStringValue();
                if (result < 0)
                {
                    return fail(result);
                }
                break;
            }

            case XML_DOCUMENT:
            case XML:
            case BYTE_ARRAY:
            {
                final int result = readObjectRefOrLength();
                if (result < 0)
                {
                    return fail(result);
                }
                break;
            }

            case DATE:
            {
                if (!readU29())
                {
                    return fail(ERROR_TRUNCATED);
                }
                if (objectReference())
                {
                    if (referenceIndex >= objectCount)
                    {
                        return fail(ERROR_REFERENCE);
                    }
                    break;
                }
                if (position + 8 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                number = buffer.getDouble(position, ByteOrder.BIG_ENDIAN);
                position += 8;
                objectCount++;
                break;
            }

            case ARRAY:
            {
                if (!readU29())
                {
                    return fail(ERROR_TRUNCATED);
                }
                if (objectReference())
                {
                    if (referenceIndex >= objectCount)
                    {
                        return fail(ERROR_REFERENCE);
                    }
                    break;
                }
                count = u29Value >>> 1;
                if (count > limit - position)
                {
                    return fail(ERROR_LENGTH);
                }
                objectCount++;
                if (!push(KIND_ARRAY_ASSOC, count, 0))
                {
                    return fail(ERROR_DEPTH);
                }
                break;
            }

            case OBJECT:
            {
                final int result = readObjectHeader();
                if (result < 0)
                {
                    return fail(result);
                }
                break;
            }

            case VECTOR_INT:
            case VECTOR_UINT:
            case VECTOR_DOUBLE:
            {
                if (!readU29())
                {
                    return fail(ERROR_TRUNCATED);
                }
                if (objectReference())
                {
                    if (referenceIndex >= objectCount)
                    {
                        return fail(ERROR_REFERENCE);
                    }
                    break;
                }
                count = u29Value >>> 1;
                final long bytes = count * (VECTOR_DOUBLE == m ? 8 : 4);
                if (position + 1 + bytes > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                position++; // fixed-length flag
                valueOffset = position;
                valueLength = (int)bytes;
                position += (int)bytes;
                objectCount++;
                break;
            }

            case VECTOR_OBJECT:
            case DICTIONARY:
            {
                if (!readU29())
                {
                    return fail(ERROR_TRUNCATED);
                }
                if (objectReference())
                {
                    if (referenceIndex >= objectCount)
                    {
                        return fail(ERROR_REFERENCE);
                    }
                    break;
                }
                count = u29Value >>> 1;
                if (position + 1 > limit)
                {
                    return fail(ERROR_TRUNCATED);
                }
                position++; // fixed-length flag (vector) or weak-keys flag (dictionary)
                if (VECTOR_OBJECT == m)
                {
                    final int result = readStringValue(); // object type name
                    if (result < 0)
                    {
                        return fail(result);
                    }
                }
                final long values = DICTIONARY == m ? count * 2 : count;
                if (values > limit - position)
                {
                    return fail(ERROR_LENGTH);
                }
                objectCount++;
                if (!push(KIND_DENSE, values, 0))
                {
                    return fail(ERROR_DEPTH);
                }
                break;
            }

            default:
                return fail(ERROR_MARKER);
        }
        return marker = m;
    }

    /**
     * Skip one whole value, entering and leaving any container.
     *
     * @return the marker of the value skipped, or an error code ({@link Amf3#END} if there was none).
     */
    public int skipValue()
    {
        final int start = depth;
        final int first = next();
        if (first < 0)
        {
            return first;
        }
        int result = first;
        while (depth > start)
        {
            result = next();
            if (result < 0)
            {
                return END == result ? fail(ERROR_TRUNCATED) : result;
            }
        }
        return first;
    }

    private int readObjectHeader()
    {
        if (!readU29())
        {
            return ERROR_TRUNCATED;
        }
        if (objectReference())
        {
            return referenceIndex >= objectCount ? ERROR_REFERENCE : 0;
        }
        final int u29 = u29Value;
        final int t;
        if (0 == (u29 & 0x2)) // U29O-traits-ref
        {
            t = u29 >>> 2;
            if (t >= traitCount)
            {
                return ERROR_REFERENCE;
            }
        }
        else if (0 != (u29 & 0x4)) // U29O-traits-ext
        {
            return ERROR_EXTERNALIZABLE;
        }
        else
        {
            if (traitCount >= MAX_TRAITS)
            {
                return ERROR_TABLE_FULL;
            }
            final int sealed = u29 >>> 4;
            if (sealed > MAX_TRAIT_MEMBERS - memberCount)
            {
                return ERROR_TABLE_FULL;
            }
            final int nameResult = readStringValue();
            if (nameResult < 0)
            {
                return nameResult;
            }
            final int classString = lastStringIndex;
            final int first = memberCount;
            for (int i = 0; i < sealed; i++)
            {
                final int result = readStringValue();
                if (result < 0)
                {
                    return result;
                }
                if (lastStringIndex < 0)
                {
                    return ERROR_REFERENCE; // an empty sealed member name
                }
                memberStrings[memberCount++] = lastStringIndex;
            }
            t = traitCount++;
            traitFirstMember[t] = first;
            traitMemberCount[t] = sealed;
            traitDynamic[t] = 0 != (u29 & 0x8);
            traitClassString[t] = classString;
        }
        objectCount++;
        traitIndex = t;
        if (!push(KIND_OBJECT_SEALED, 0, t))
        {
            return ERROR_DEPTH;
        }
        return 0;
    }

    private int lastStringIndex;

    private int readStringValue()
    {
        if (!readU29())
        {
            return ERROR_TRUNCATED;
        }
        final int u29 = u29Value;
        if (0 == (u29 & 1))
        {
            final int index = u29 >>> 1;
            if (index >= stringCount)
            {
                return ERROR_REFERENCE;
            }
            valueOffset = stringOffsets[index];
            valueLength = stringLengths[index];
            lastStringIndex = index;
            return 0;
        }
        final int length = u29 >>> 1;
        if (length > limit - position)
        {
            return ERROR_TRUNCATED;
        }
        valueOffset = position;
        valueLength = length;
        position += length;
        lastStringIndex = -1;
        if (length > 0) // the empty string is never sent by reference (amf3.txt §1.3.2)
        {
            if (stringCount >= MAX_STRINGS)
            {
                return ERROR_TABLE_FULL;
            }
            stringOffsets[stringCount] = valueOffset;
            stringLengths[stringCount] = length;
            lastStringIndex = stringCount++;
        }
        return 0;
    }

    private int readObjectRefOrLength()
    {
        if (!readU29())
        {
            return ERROR_TRUNCATED;
        }
        if (objectReference())
        {
            return referenceIndex >= objectCount ? ERROR_REFERENCE : 0;
        }
        final int length = u29Value >>> 1;
        if (length > limit - position)
        {
            return ERROR_TRUNCATED;
        }
        valueOffset = position;
        valueLength = length;
        position += length;
        objectCount++;
        return 0;
    }

    private boolean objectReference()
    {
        if (0 == (u29Value & 1))
        {
            reference = true;
            referenceIndex = u29Value >>> 1;
            return true;
        }
        return false;
    }

    /**
     * amf3.txt §1.3.1: 1 to 4 bytes, 7 bits in each of the first three (high bit = more), 8 in the fourth.
     */
    private boolean readU29()
    {
        int value = 0;
        for (int i = 0; i < 3; i++)
        {
            if (position >= limit)
            {
                return false;
            }
            final int b = buffer.getByte(position++) & 0xFF;
            value = (value << 7) | (b & 0x7F);
            if (0 == (b & 0x80))
            {
                u29Value = value;
                return true;
            }
        }
        if (position >= limit)
        {
            return false;
        }
        u29Value = (value << 8) | (buffer.getByte(position++) & 0xFF);
        return true;
    }

    private boolean push(final int k, final long n, final int t)
    {
        if (depth >= MAX_DEPTH)
        {
            return false;
        }
        kind[depth] = k;
        remaining[depth] = n;
        trait[depth] = t;
        sealedIndex[depth] = 0;
        depth++;
        return true;
    }

    private int fail(final int error)
    {
        failed = true;
        return error;
    }

    /**
     * @return the position after the last value read.
     */
    public int position()
    {
        return position;
    }

    /**
     * @return number of containers open.
     */
    public int depth()
    {
        return depth;
    }

    /**
     * @return the result of the last {@link #next()}.
     */
    public int marker()
    {
        return marker;
    }

    /**
     * @return true if the last complex value was a reference to an earlier one (object table).
     */
    public boolean isReference()
    {
        return reference;
    }

    /**
     * @return the object-table index of the last reference.
     */
    public int referenceIndex()
    {
        return referenceIndex;
    }

    /**
     * @return value of the last {@link Amf3#INTEGER} (signed 29 bits).
     */
    public int integer()
    {
        return integer;
    }

    /**
     * @return value of the last {@link Amf3#DOUBLE}, or the milliseconds of a {@link Amf3#DATE}.
     */
    public double number()
    {
        return number;
    }

    /**
     * @return offset of the bytes of the last string, XML, byte array or numeric vector.
     */
    public int valueOffset()
    {
        return valueOffset;
    }

    /**
     * @return length in bytes of the last string, XML, byte array or numeric vector.
     */
    public int valueLength()
    {
        return valueLength;
    }

    /**
     * Decode the last string value: allocates, for the rare command path.
     *
     * @return the string.
     */
    public String string()
    {
        return buffer.getStringWithoutLengthUtf8(valueOffset, valueLength);
    }

    /**
     * @param expected string to compare with.
     * @return true if the last string value equals it, without allocating.
     */
    public boolean stringEquals(final CharSequence expected)
    {
        return Utf8.equals(buffer, valueOffset, valueLength, expected);
    }

    /**
     * @return for an array its dense count, for a vector or dictionary its element count.
     */
    public long count()
    {
        return count;
    }

    /**
     * @return offset of the key of the member just read, valid when {@link #keyLength()} is not negative.
     */
    public int keyOffset()
    {
        return keyOffset;
    }

    /**
     * @return length of the key of the member just read, or -1 when it has none.
     */
    public int keyLength()
    {
        return keyLength;
    }

    /**
     * @param expected key to compare with.
     * @return true if the member just read has that key.
     */
    public boolean keyEquals(final CharSequence expected)
    {
        return keyLength >= 0 && Utf8.equals(buffer, keyOffset, keyLength, expected);
    }

    /**
     * @return the key of the member just read (allocates), or null.
     */
    public String key()
    {
        return keyLength < 0 ? null : buffer.getStringWithoutLengthUtf8(keyOffset, keyLength);
    }

    /**
     * @return length of the class name of the object just entered (0 for anonymous objects).
     */
    public int classNameLength()
    {
        final int s = traitClassString[traitIndex];
        return s < 0 ? 0 : stringLengths[s];
    }

    /**
     * @return offset of the class name of the object just entered.
     */
    public int classNameOffset()
    {
        final int s = traitClassString[traitIndex];
        return s < 0 ? 0 : stringOffsets[s];
    }
}
