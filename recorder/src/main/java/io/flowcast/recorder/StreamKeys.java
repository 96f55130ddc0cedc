package io.flowcast.recorder;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Registry of recorded stream keys shared by the publishers and the recorder agent: a key gets a small int id once
 * (when a stream starts publishing, off the hot path) and messages carry only the id through the ring. Ids are
 * published copy-on-write through a volatile array, so the agent resolves an id with one array read.
 */
final class StreamKeys
{
    private final Map<String, Integer> ids = new HashMap<>();
    private volatile UnsafeBuffer[] keys = new UnsafeBuffer[16];
    private int nextId;

    /**
     * @param key stream key, US-ASCII, 1 to 255 bytes.
     * @return its id (the same id for the same key).
     */
    synchronized int register(final String key)
    {
        final Integer existing = ids.get(key);
        if (null != existing)
        {
            return existing;
        }
        final byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length < 1 || bytes.length > JournalRecord.MAX_KEY_LENGTH)
        {
            throw new IllegalArgumentException("stream key must be 1 to 255 characters: '" + key + "'");
        }
        final int id = nextId++;
        UnsafeBuffer[] array = keys;
        if (id >= array.length)
        {
            array = Arrays.copyOf(array, array.length * 2);
        }
        else
        {
            array = array.clone();
        }
        array[id] = new UnsafeBuffer(bytes);
        keys = array;
        ids.put(key, id);
        return id;
    }

    /**
     * @param id from {@link #register(String)}.
     * @return the key bytes, or null for an unknown id.
     */
    UnsafeBuffer key(final int id)
    {
        final UnsafeBuffer[] array = keys;
        return id >= 0 && id < array.length ? array[id] : null;
    }
}
