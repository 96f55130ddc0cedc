package io.flowcast.config;

/**
 * One thing wrong with a configuration, said so a person can fix it: the key, the value found, why it is wrong,
 * how to fix it, and where the value came from.
 *
 * @param key    the key path, e.g. {@code rtmfp.port}; empty when the problem is the file itself.
 * @param value  the value as found, rendered as text; empty when there is none.
 * @param reason why the value is wrong.
 * @param fix    what to do about it.
 * @param origin where the value came from: a file name, {@code environment variable NAME}, {@code --set},
 *               or {@code defaults}.
 * @param line   the line in the origin file, or 0 when not known or not a file.
 */
public record ConfigProblem(String key, String value, String reason, String fix, String origin, int line)
{
    /**
     * One line: {@code origin:line: key = value: reason; fix: fix}.
     *
     * @return the problem as a single line of text.
     */
    public String format()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(origin);
        if (line > 0)
        {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (!key.isEmpty())
        {
            sb.append(key);
            if (!value.isEmpty())
            {
                sb.append(" = ").append(value);
            }
            sb.append(": ");
        }
        sb.append(reason);
        if (!fix.isEmpty())
        {
            sb.append("; fix: ").append(fix);
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return format();
    }
}
