package io.flowcast.config;

/**
 * An inclusive range of ports, written {@code FIRST-LAST}.
 *
 * @param first the lowest port.
 * @param last  the highest port.
 */
public record PortRange(int first, int last)
{
    /**
     * @param text {@code FIRST-LAST}, e.g. {@code 19350-65535}.
     * @return the range.
     * @throws IllegalArgumentException with a reason for a person when it does not parse or is out of 1..65535.
     */
    public static PortRange parse(final String text)
    {
        final String s = text.trim();
        if (!s.matches("\\d{1,5}\\s*-\\s*\\d{1,5}"))
        {
            throw new IllegalArgumentException("a port range is FIRST-LAST");
        }
        final int dash = s.indexOf('-');
        final int first = Integer.parseInt(s.substring(0, dash).trim());
        final int last = Integer.parseInt(s.substring(dash + 1).trim());
        if (first < 1 || last > 65535)
        {
            throw new IllegalArgumentException("ports must be 1..65535");
        }
        if (first > last)
        {
            throw new IllegalArgumentException("the first port is above the last");
        }
        return new PortRange(first, last);
    }

    /**
     * @param port a port.
     * @return true when the range contains it.
     */
    public boolean contains(final int port)
    {
        return port >= first && port <= last;
    }

    /**
     * @return how many ports the range holds.
     */
    public int size()
    {
        return last - first + 1;
    }

    @Override
    public String toString()
    {
        return first + "-" + last;
    }
}
