package io.flowcast.engine.endpoint;

import io.flowcast.engine.session.Session;
import io.flowcast.engine.session.SessionState;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;

/**
 * An endpoint's sessions: by local session ID (the demultiplexing of §2.2.2), by far address (DESTADDR), the count
 * per far IP address (the responder's limit), and the initiator's openings in progress. Agent thread only.
 */
public final class SessionTable
{
    private final Int2ObjectHashMap<Session> byId = new Int2ObjectHashMap<>();
    private final HashMap<InetSocketAddress, Session> byAddress = new HashMap<>();
    private final Object2IntHashMap<InetAddress> perAddress = new Object2IntHashMap<>(0);
    private final ArrayList<Session> openings = new ArrayList<>();

    /**
     * @param sessionId a local session ID.
     * @return its session, or null.
     */
    public Session byId(final int sessionId)
    {
        return byId.get(sessionId);
    }

    /**
     * @param address a far address.
     * @return the session at it, or null.
     */
    public Session byAddress(final InetSocketAddress address)
    {
        return byAddress.get(address);
    }

    /**
     * @return sessions with a session ID (keying, open or closing).
     */
    public int size()
    {
        return byId.size();
    }

    /**
     * @param ip a far IP address.
     * @return the sessions at it.
     */
    public int countAt(final InetAddress ip)
    {
        return perAddress.getValue(ip);
    }

    /**
     * @param random the endpoint's randomness.
     * @return a fresh non-zero local session ID no session has.
     */
    public int newSessionId(final Random random)
    {
        int id;
        do
        {
            id = random.nextInt();
        }
        while (0 == id || byId.containsKey(id));
        return id;
    }

    /**
     * Index a session that has its local session ID and far address.
     *
     * @param session the session.
     */
    public void register(final Session session)
    {
        byId.put(session.localSessionId(), session);
        byAddress.put(session.farAddress(), session);
        incrementAddressCount(session.farAddress().getAddress());
    }

    /**
     * Forget a released session.
     *
     * @param session the session.
     */
    void unregister(final Session session)
    {
        if (byId.get(session.localSessionId()) == session)
        {
            byId.remove(session.localSessionId());
            byAddress.remove(session.farAddress(), session);
            decrementAddressCount(session.farAddress().getAddress());
        }
        openings.remove(session);
    }

    /**
     * Re-index a session whose DESTADDR moved (§3.5.4.2).
     *
     * @param session the session, at its new address.
     * @param from    its previous address.
     */
    void moved(final Session session, final InetSocketAddress from)
    {
        byAddress.remove(from, session);
        decrementAddressCount(from.getAddress());
        byAddress.put(session.farAddress(), session);
        incrementAddressCount(session.farAddress().getAddress());
    }

    /**
     * @param buffer holding a certificate.
     * @param offset of it.
     * @param length of it.
     * @return an open or keying session with that far certificate, or null (§3.5.1.1.1 step 1).
     */
    public Session withFarCertificate(final DirectBuffer buffer, final int offset, final int length)
    {
        for (final Session existing : byId.values())
        {
            if ((SessionState.OPEN == existing.state() || SessionState.KEYING_SENT == existing.state()) &&
                existing.hasFarCertificate(buffer, offset, length))
            {
                return existing;
            }
        }
        return null;
    }

    /**
     * @param opening an initiator's new opening.
     */
    public void addOpening(final Session opening)
    {
        openings.add(opening);
    }

    /**
     * @param opening an opening that was keyed.
     */
    public void removeOpening(final Session opening)
    {
        openings.remove(opening);
    }

    /**
     * @return openings in progress.
     */
    public int openingCount()
    {
        return openings.size();
    }

    /**
     * @param index 0 .. {@link #openingCount()} - 1.
     * @return the opening.
     */
    public Session opening(final int index)
    {
        return openings.get(index);
    }

    /**
     * @return a copy of the sessions with an ID, to close them while the table changes.
     */
    List<Session> sessionsSnapshot()
    {
        return new ArrayList<>(byId.values());
    }

    /**
     * @return a copy of the openings.
     */
    List<Session> openingsSnapshot()
    {
        return new ArrayList<>(openings);
    }

    int addressCount()
    {
        return byAddress.size();
    }

    int ipCount()
    {
        return perAddress.size();
    }

    private void incrementAddressCount(final InetAddress ip)
    {
        perAddress.put(ip, perAddress.getValue(ip) + 1);
    }

    private void decrementAddressCount(final InetAddress ip)
    {
        final int remaining = perAddress.getValue(ip) - 1;
        if (remaining <= 0)
        {
            perAddress.removeKey(ip);
        }
        else
        {
            perAddress.put(ip, remaining);
        }
    }
}
