package io.flowcast.cli;

import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.engine.rtmfp.OfferStatus;
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

            final UnsafeBuffer setDataFrame = new UnsafeBuffer(new byte[64 * 1024]);
            final Amf0Writer amf = new Amf0Writer();
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
                            publisher.checkFailure();
                            publisher.pump();
                        }
                    }
                    DirectBuffer payload = flv;
                    int payloadOffset = reader.dataOffset();
                    int payloadLength = reader.dataSize();
                    int messageType = type;
                    if (MessageType.DATA_AMF0 == type)
                    {
                        if (payloadLength + 20 > setDataFrame.capacity())
                        {
                            continue;
                        }
                        // what encoders send: @setDataFrame, then the tag's "onMetaData", {...}
                        amf.wrap(setDataFrame, 0, setDataFrame.capacity()).string("@setDataFrame")
                            .raw(flv, payloadOffset, payloadLength);
                        payload = setDataFrame;
                        payloadOffset = 0;
                        payloadLength = amf.position();
                    }
                    else if (MessageType.AUDIO != type && MessageType.VIDEO != type)
                    {
                        continue;
                    }
                    sendMessage(publisher, messageType, timestamp, payload, payloadOffset, payloadLength);
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

    private void sendMessage(
        final Publisher publisher, final int type, final int timestamp, final DirectBuffer buffer, final int offset,
        final int length)
    {
        while (true)
        {
            final long rc = publisher.client.send(type, timestamp, buffer, offset, length);
            if (rc > 0)
            {
                break;
            }
            if (OfferStatus.BACK_PRESSURED != rc)
            {
                throw new IllegalStateException("could not send (" + OfferStatus.name(rc) + ")");
            }
            publisher.checkFailure();
            publisher.pump();
        }
        if (MessageType.AUDIO == type)
        {
            audio++;
        }
        else if (MessageType.VIDEO == type)
        {
            video++;
        }
        else
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

        Publisher(final String uri, final PrintWriter err)
        {
            super(uri, err);
        }

        void checkFailure()
        {
            failIfFailed();
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
