package io.flowcast.cli;

import io.flowcast.codec.flv.FlvFileHeader;
import io.flowcast.codec.flv.FlvTagHeader;
import io.flowcast.codec.flv.FlvWriter;
import io.flowcast.codec.rtmp.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code flowcast play rtmfp://HOST[:PORT]/APP#STREAM}: plays a stream over RTMFP (RFC 7425) and writes what it
 * receives (metadata, audio, video) as an FLV file; ends when the publisher stops (NetStream.Play.UnpublishNotify) or
 * after {@code --seconds}.
 */
@Command(name = "play", description = {"Play a stream over RTMFP; write it as FLV (--out).",
    "Ends when the stream is unpublished, or after --seconds."})
final class PlayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "rtmfp://HOST[:PORT]/APP#STREAM")
    String uri;

    @Option(names = "--out", paramLabel = "FILE.flv", description = "Write the stream to this FLV file.")
    Path out;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds (default: when unpublished).")
    double seconds;

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

    /** Set when the command is playing (tests wait for it before starting a publisher). */
    volatile boolean playing;

    @Override
    public Integer call() throws Exception
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final Player player = new Player(uri, err, null == out ? null : new BufferedOutputStream(
            Files.newOutputStream(out), 1 << 16));
        try
        {
            player.open(timeout, tokens, hashToken, requireAuthToken);
            player.client.play(player.stream);
            final long startNs = System.nanoTime();
            player.pumpUntil(() -> player.started || null != player.failure, startNs + (long)(timeout * 1e9),
                "no answer to play");
            player.failIfFailed();
            playing = true;
            final long endNs = seconds > 0 ? startNs + (long)(seconds * 1e9) : Long.MAX_VALUE;
            while (!player.ended && null == player.failure && null == player.rtmfp.closed &&
                (Long.MAX_VALUE == endNs || System.nanoTime() - endNs < 0))
            {
                player.pump();
            }
            player.failIfFailed();
            stdout.printf(Locale.ROOT, "flowcast play: %s: %d audio, %d video, %d data messages%s%n", uri,
                player.audio, player.video, player.data, player.ended ? " (unpublished)" : "");
            stdout.flush();
            return 0;
        }
        catch (final IllegalStateException ex)
        {
            err.println("flowcast play: " + ex.getMessage());
            err.flush();
            return 1;
        }
        finally
        {
            player.close();
            player.closeFile();
        }
    }

    /**
     * The playing NetConnection and the FLV it writes.
     */
    static final class Player extends MediaClient
    {
        private final OutputStream file;
        private UnsafeBuffer tag = new UnsafeBuffer(new byte[1 << 16]);
        private final FlvWriter writer = new FlvWriter();
        boolean started;
        boolean ended;
        long audio;
        long video;
        long data;

        Player(final String uri, final PrintWriter err, final OutputStream file) throws IOException
        {
            super(uri, err);
            this.file = file;
            if (null != file)
            {
                writer.wrap(tag, 0, tag.capacity());
                writer.header(FlvFileHeader.FLAG_AUDIO | FlvFileHeader.FLAG_VIDEO);
                file.write(tag.byteArray(), 0, writer.position());
            }
        }

        @Override
        public void onStatus(final int streamId, final String level, final String code, final String description)
        {
            if ("NetStream.Play.Start".equals(code))
            {
                started = true;
            }
            else if ("NetStream.Play.UnpublishNotify".equals(code) || "NetStream.Play.Stop".equals(code) ||
                "NetStream.Play.Complete".equals(code))
            {
                ended = true;
            }
            else if ("NetStream.Play.StreamNotFound".equals(code))
            {
                failure = "no stream " + stream + " in app " + app + " (" + code + "); check the name";
            }
            else if ("error".equals(level))
            {
                failure = "the server refused to play " + stream + " (" + code + ": " + description + ")";
            }
        }

        @Override
        public void onMedia(
            final int streamId, final int type, final int timestamp, final DirectBuffer buffer, final int offset,
            final int length)
        {
            int tagType = type;
            int from = offset;
            int size = length;
            if (MessageType.DATA_AMF3 == type && length > 0)
            {
                tagType = MessageType.DATA_AMF0; // the format byte, then AMF0 values
                from++;
                size--;
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
            if (null == file)
            {
                return;
            }
            final int needed = FlvTagHeader.LENGTH + size + FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH;
            if (needed > tag.capacity())
            {
                tag = new UnsafeBuffer(new byte[Integer.highestOneBit(needed) << 1]); // grow once, keep it
            }
            final UnsafeBuffer target = tag;
            writer.wrap(target, 0, target.capacity());
            if (writer.tag(tagType, timestamp, 0, buffer, from, size))
            {
                try
                {
                    file.write(target.byteArray(), 0, writer.position());
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            }
        }

        void closeFile() throws IOException
        {
            if (null != file)
            {
                file.close();
            }
        }
    }
}
