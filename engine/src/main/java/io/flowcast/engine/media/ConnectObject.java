package io.flowcast.engine.media;

import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Reader;
import io.flowcast.codec.amf.Amf3;
import io.flowcast.codec.amf.Amf3Reader;

/**
 * The members of a {@code connect} command object that the server uses (rtmp-1.0.txt §7.2.1.1, RFC 7425 §5.1):
 * {@code app}, {@code tcUrl} and {@code objectEncoding}, read from AMF0 or from AMF3 (clients with objectEncoding 3
 * may send the object as an AMF3 value); every other member is skipped. One instance per connection, reused.
 */
final class ConnectObject
{
    private String app;
    private String tcUrl;
    private double objectEncoding;

    /**
     * Forget the last object read.
     */
    void reset()
    {
        app = null;
        tcUrl = null;
        objectEncoding = 0;
    }

    /**
     * @return the {@code app} member, or null.
     */
    String app()
    {
        return app;
    }

    /**
     * @return the {@code tcUrl} member, or null.
     */
    String tcUrl()
    {
        return tcUrl;
    }

    /**
     * @return the {@code objectEncoding} member, 0 when absent.
     */
    double objectEncoding()
    {
        return objectEncoding;
    }

    /**
     * Read an AMF0 object (or ECMA array) whose marker the reader has just returned, to its end.
     *
     * @param reader positioned in the object.
     * @return false when the object is malformed.
     */
    boolean read(final Amf0Reader reader)
    {
        int marker;
        while ((marker = reader.next()) != Amf0.OBJECT_END)
        {
            if (marker < Amf0.END || Amf0.END == marker)
            {
                return false;
            }
            if (Amf0.STRING == marker && reader.keyEquals("app"))
            {
                app = reader.string();
            }
            else if (Amf0.STRING == marker && reader.keyEquals("tcUrl"))
            {
                tcUrl = reader.string();
            }
            else if (Amf0.NUMBER == marker && reader.keyEquals("objectEncoding"))
            {
                objectEncoding = reader.number();
            }
            else if (reader.skipContainer() < Amf0.END)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Read one AMF3 value, the object (a reference or null carries nothing); nested containers are skipped.
     *
     * @param amf3 positioned before the value.
     * @return false when it is malformed or not an object, null or undefined.
     */
    boolean read(final Amf3Reader amf3)
    {
        int m = amf3.next();
        if (Amf3.OBJECT != m || amf3.isReference())
        {
            return Amf3.NULL == m || Amf3.UNDEFINED == m || (Amf3.OBJECT == m && amf3.isReference());
        }
        while ((m = amf3.next()) != Amf3.OBJECT_END)
        {
            if (m < 0)
            {
                return false;
            }
            if (Amf3.STRING == m && amf3.keyEquals("app"))
            {
                app = amf3.string();
            }
            else if (Amf3.STRING == m && amf3.keyEquals("tcUrl"))
            {
                tcUrl = amf3.string();
            }
            else if ((Amf3.DOUBLE == m || Amf3.INTEGER == m) && amf3.keyEquals("objectEncoding"))
            {
                objectEncoding = Amf3.DOUBLE == m ? amf3.number() : amf3.integer();
            }
            else if (!amf3.isReference() && (Amf3.OBJECT == m || Amf3.ARRAY == m || Amf3.DICTIONARY == m ||
                (m >= Amf3.VECTOR_INT && m <= Amf3.VECTOR_OBJECT)))
            {
                // a container just entered: read to its end
                final int depth = amf3.depth();
                while (amf3.depth() >= depth)
                {
                    if (amf3.next() < 0)
                    {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * @return the app this object names ({@link #appName(String, String)} of its members), or null.
     */
    String appName()
    {
        return appName(app, tcUrl);
    }

    /**
     * @param appMember the connect object's app member, or null.
     * @param tcUrl     its tcUrl, or null.
     * @return the app name without query string and surrounding slashes, or null when there is none.
     */
    static String appName(final String appMember, final String tcUrl)
    {
        String name = appMember;
        if ((null == name || name.isEmpty()) && null != tcUrl)
        {
            final int scheme = tcUrl.indexOf("://");
            final int pathStart = tcUrl.indexOf('/', scheme < 0 ? 0 : scheme + 3);
            name = pathStart < 0 ? null : tcUrl.substring(pathStart + 1);
        }
        if (null == name)
        {
            return null;
        }
        final int query = name.indexOf('?');
        if (query >= 0)
        {
            name = name.substring(0, query);
        }
        int start = 0;
        int end = name.length();
        while (start < end && '/' == name.charAt(start))
        {
            start++;
        }
        while (end > start && '/' == name.charAt(end - 1))
        {
            end--;
        }
        name = name.substring(start, end);
        return name.isEmpty() ? null : name;
    }
}
