package io.flowcast.cli;

import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.tc.TcClient;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowcast publish FILE.flv rtmfp://HOST[:PORT]/APP#STREAM}: publishes an FLV file over RTMFP (RFC 7425) paced
 * by its timestamps: connect, createStream, publish, then the file's onMetaData as {@code @setDataFrame} and its audio
 * and video tags as messages on the stream's flows (commands and data first, then audio, then video).
 */
@Command(name = "publish", description = {"Publish an FLV file over RTMFP, paced by its timestamps.",
    "Exit 0 when the whole file was delivered; 1 with the reason otherwise (connect refused, BadName...)."})
final class PublishCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.flv", description = "The FLV file.")
    Path file;

    @Parameters(index = "1", paramLabel = "URI", description = "rtmfp://HOST[:PORT]/APP#STREAM")
    String uri;

    @Option(names = "--loop", description = "Start the file again at its end, timestamps continuing (stop: Ctrl-C).")
    boolean loop;

    @Option(names = "--speed", paramLabel = "X",
        description = "Pace at X times the file's rate (default ${DEFAULT-VALUE}; 0: as fast as flow control allows).")
    double speed = 1;

    @Option(names = "--token", paramLabel = "TOKEN",
        description = "Connect argument(s) for the server's auth (repeatable: TOKEN, or USER then TOKEN).")
    List<String> tokens = new ArrayList<>();

    @Option(names = "--hash-token", description = "Send the token hashed with the server's session nonce (tcserver's scheme).")
    boolean hashToken;

    @Option(names = "--require-auth-token",
        description = "Fail unless the connect reply's authToken proves the server knows the token (tcserver's scheme).")
    boolean requireAuthToken;

    @Option(names = "--timeout", paramLabel = "S", description = "Seconds to wait for the session and answers (default ${DEFAULT-VALUE}).")
    double timeout = 10;

    @Option(names = "--video-lifetime", paramLabel = "S",
        description = "Seconds a video frame may wait before it is abandoned (default ${DEFAULT-VALUE}; 0: never).")
    double videoLifetime = TcClient.DEFAULT_VIDEO_LIFETIME_NS / 1e9;

    @Option(names = "--keep-previous-gop",
        description = "Do not abandon the rest of the previous GOP at a keyframe (by default it gets 0.1 s more).")
    boolean keepPreviousGop;

    @Option(names = "--audio-lifetime", paramLabel = "S",
        description = "Seconds an audio frame may wait before it is abandoned (default ${DEFAULT-VALUE}; 0: never).")
    double audioLifetime = TcClient.DEFAULT_AUDIO_LIFETIME_NS / 1e9;

    /** Set by Ctrl-C / SIGTERM: stop sending, unpublish and close in order. */
    private volatile boolean stopping;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

    /** Messages sent, by type: audio, video, data (for tests and the summary). */
    long audio;
    long video;
    long data;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (speed < 0 || videoLifetime < 0 || audioLifetime < 0)
        {
            throw new IllegalArgumentException("--speed, --video-lifetime and --audio-lifetime must be 0 or more");
        }
        final byte[] bytes = Files.readAllBytes(file);
        final UnsafeBuffer flv = new UnsafeBuffer(bytes);
        final FlvReader reader = new FlvReader().wrap(flv, 0, bytes.length);
        if (reader.readHeader() < 0)
        {
            throw new IllegalArgumentException(file + " is not an FLV file");
        }
        final Publisher publisher = new Publisher(uri, err);
        final Thread hook = new Thread(() ->
        {
            stopping = true; // the sending loop ends, unpublishes and closes the session before the JVM exits
            try
            {
                finished.await(3, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "flowcast-publish-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            publisher.open(timeout, tokens, hashToken, requireAuthToken);
            publisher.client.mediaLifetimes((long)(videoLifetime * 1e9), (long)(audioLifetime * 1e9))
                .expirePreviousGop(!keepPreviousGop);
            publisher.client.publish(publisher.stream);
            final long deadline = System.nanoTime() + (long)(timeout * 1e9);
            publisher.pumpUntil(() -> publisher.started || null != publisher.failure, deadline,
                "no answer to publish");
            publisher.failIfFailed();

            final long startNs = System.nanoTime();
            final long startedAt = startNs;
            long offsetMs = 0;
            do
            {
                reader.wrap(flv, 0, bytes.length);
                reader.readHeader();
                int first = -1;
                int last = 0;
                int type = FlvReader.END;
                while (!stopping && (type = reader.next()) >= 0)
                {
                    final int ts = reader.timestamp();
                    if (first < 0)
                    {
                        first = ts;
                    }
                    last = ts;
                    final int timestamp = (int)(offsetMs + ts);
                    if (speed > 0)
                    {
                        final long dueNs = startNs + (long)((timestamp - first) * 1_000_000L / speed);
                        while (System.nanoTime() - dueNs < 0 && !stopping)
                        {
                            publisher.idle();
                        }
                    }
                    count(publisher.sendTag(reader, flv, timestamp));
                }
                if (!stopping && reader.position() < bytes.length && FlvReader.END != type)
                {
                    err.println("flowcast publish: " + file + " ends with a damaged tag at byte " + reader.position() +
                        "; published what came before");
                }
                offsetMs += last + 40;
            }
            while (loop && !stopping);

            // everything delivered (acknowledged) before the stream is closed
            if (stopping)
            {
                final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (publisher.client.bytesQueued() > 0 && System.nanoTime() - drainDeadline < 0)
                {
                    publisher.pump();
                }
            }
            else
            {
                publisher.pumpUntil(() -> 0 == publisher.client.bytesQueued(),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(30), "the server did not acknowledge everything within 30 s");
            }
            publisher.client.closeStream();
            final double seconds = (System.nanoTime() - startedAt) / 1e9;
            out.printf(Locale.ROOT, "flowcast publish: %s: %d audio, %d video, %d data messages in %.1f s%n",
                uri, audio, video, data, seconds);
            out.flush();
            return 0;
        }
        catch (final IllegalStateException ex)
        {
            err.println("flowcast publish: " + ex.getMessage());
            err.flush();
            return 1;
        }
        finally
        {
            publisher.close();
            finished.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ex)
            {
                // the JVM is shutting down: the hook is what stopped us
            }
        }
    }

    private void count(final int type)
    {
        if (MessageType.AUDIO == type)
        {
            audio++;
        }
        else if (MessageType.VIDEO == type)
        {
            video++;
        }
        else if (type >= 0)
        {
            data++;
        }
    }

    /**
     * The publishing NetConnection.
     */
    static final class Publisher extends MediaClient
    {
        boolean started;
        /** Park {@link FanoutBench#IDLE_PARK_NS} when a turn had nothing to do, instead of spinning. */
        boolean parkWhenIdle;
        private final UnsafeBuffer setDataFrame = new UnsafeBuffer(new byte[64 * 1024]);
        private final Amf0Writer amf = new Amf0Writer();

        Publisher(final String uri, final PrintWriter err)
        {
            super(uri, err);
        }

        /**
         * One turn of the client while waiting to send: fail if the server refused or closed, run the endpoint.
         */
        void idle()
        {
            failIfFailed();
            if (!parkWhenIdle)
            {
                pump();
            }
            else
            {
                client.poll(System.nanoTime());
                if (0 == rtmfp.endpoint.doWork())
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(FanoutBench.IDLE_PARK_NS);
                }
            }
        }

        /**
         * Send the FLV tag the reader is on as one message: audio and video as they are, script data as
         * {@code @setDataFrame} followed by the tag's values (what encoders send), waiting ({@link #idle}) while the
         * flows are back-pressured.
         *
         * @param reader    positioned on a tag of {@code flv}.
         * @param flv       the file.
         * @param timestamp of the message, ms.
         * @return the message type sent, or -1 for a tag of another type or script data too large to frame.
         */
        int sendTag(final FlvReader reader, final DirectBuffer flv, final int timestamp)
        {
            final int type = reader.tagType();
            DirectBuffer payload = flv;
            int offset = reader.dataOffset();
            int length = reader.dataSize();
            if (MessageType.DATA_AMF0 == type)
            {
                if (length + 20 > setDataFrame.capacity())
                {
                    return -1;
                }
                amf.wrap(setDataFrame, 0, setDataFrame.capacity()).string("@setDataFrame").raw(flv, offset, length);
                payload = setDataFrame;
                offset = 0;
                length = amf.position();
            }
            else if (MessageType.AUDIO != type && MessageType.VIDEO != type)
            {
                return -1;
            }
            long rc;
            while ((rc = client.send(type, timestamp, payload, offset, length)) <= 0)
            {
                if (OfferStatus.BACK_PRESSURED != rc)
                {
                    throw new IllegalStateException("could not send (" + OfferStatus.name(rc) + ")");
                }
                idle();
            }
            return type;
        }

        @Override
        public void onStatus(final int streamId, final String level, final String code, final String description)
        {
            if ("NetStream.Publish.Start".equals(code))
            {
                started = true;
            }
            else if ("NetStream.Publish.BadName".equals(code))
            {
                failure = "the server refused the stream name " + stream + " (" + code + ": " + description +
                    "): another publisher has it, or pick another name";
            }
            else if ("error".equals(level))
            {
                failure = "the server refused to publish " + stream + " (" + code + ": " + description + ")";
            }
        }
    }
}
