package io.flowcast.codec.amf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: builds plain Java values (Double, Boolean, String, null, Map, List, markers as strings) from an
 * {@link Amf0Reader}, so tests can compare whole decodes. Allocates freely; test scope only.
 */
public final class AmfTree
{
    public static final String UNDEFINED = "<undefined>";

    private AmfTree()
    {
    }

    /**
     * @param reader positioned before a sequence of values.
     * @return all values to the end, or throws AssertionError naming the error code.
     */
    public static List<Object> readAll(final Amf0Reader reader)
    {
        final List<Object> values = new ArrayList<>();
        while (true)
        {
            final int m = reader.next();
            if (Amf0.END == m)
            {
                return values;
            }
            values.add(value(reader, m));
        }
    }

    static Object value(final Amf0Reader reader, final int m)
    {
        switch (m)
        {
            case Amf0.NUMBER:
                return reader.number();
            case Amf0.BOOLEAN:
                return reader.bool();
            case Amf0.STRING:
            case Amf0.LONG_STRING:
            case Amf0.XML_DOCUMENT:
                return reader.string();
            case Amf0.NULL:
                return null;
            case Amf0.UNDEFINED:
                return UNDEFINED;
            case Amf0.DATE:
                return Map.of("date", reader.number());
            case Amf0.REFERENCE:
                return Map.of("ref", reader.count());
            case Amf0.OBJECT:
            case Amf0.ECMA_ARRAY:
            case Amf0.TYPED_OBJECT:
            {
                final Map<String, Object> map = new LinkedHashMap<>();
                while (true)
                {
                    final int n = reader.next();
                    if (Amf0.OBJECT_END == n)
                    {
                        return map;
                    }
                    final String key = reader.key();
                    map.put(key, value(reader, n));
                }
            }
            case Amf0.STRICT_ARRAY:
            {
                final List<Object> list = new ArrayList<>();
                while (true)
                {
                    final int n = reader.next();
                    if (Amf0.STRICT_ARRAY_END == n)
                    {
                        return list;
                    }
                    list.add(value(reader, n));
                }
            }
            default:
                throw new AssertionError("AMF0 result " + m + " at " + reader.position());
        }
    }
}
