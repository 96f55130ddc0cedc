package io.flowcast.perf.media;

import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Reader;
import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.flv.FlvReader;
import io.flowcast.codec.flv.FlvTagHeader;
import io.flowcast.codec.flv.VideoTagHeader;
import io.flowcast.codec.rtmp.ChunkStreamDecoder;
import io.flowcast.codec.rtmp.ChunkStreamEncoder;
import io.flowcast.codec.rtmp.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Media wire formats on the hot path: AMF0 command decode, RTMP chunk stream reassembly and encoding, FLV tag
 * iteration. Run with {@code -prof gc}: the target is 0 B/op.
 * <pre>
 * flock /tmp/flowcast-bench.lock java -jar perf/target/benchmarks.jar MediaCodecBenchmark -f 1 -wi 3 -w 1 -i 5 -r 1 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MediaCodecBenchmark
{
    private static final int VIDEO_LENGTH = 64 * 1024;
    private static final int CHUNK_SIZE = 4096;
    private static final int TCP_SEGMENT = 1448;

    private final UnsafeBuffer onStatus = new UnsafeBuffer(new byte[512]);
    private final UnsafeBuffer connect = new UnsafeBuffer(new byte[1024]);
    private int onStatusLength;
    private int connectLength;
    private final Amf0Reader reader = new Amf0Reader();

    private final UnsafeBuffer video = new UnsafeBuffer(new byte[VIDEO_LENGTH]);
    private UnsafeBuffer wire;
    private int wireLength;
    private ChunkStreamDecoder decoder;
    private final ChunkStreamEncoder encoder = new ChunkStreamEncoder(8);
    private long delivered;
    private int timestamp;

    private UnsafeBuffer flv;
    private final FlvReader flvReader = new FlvReader();
    private final VideoTagHeader videoTagHeader = new VideoTagHeader();

    @Setup
    public void setup() throws IOException
    {
        final Amf0Writer writer = new Amf0Writer();
        writer.wrap(onStatus, 0, onStatus.capacity())
            .string("onStatus").number(0).nul()
            .objectBegin()
            .key("level").string("status")
            .key("code").string("NetStream.Play.Start")
            .key("description").string("Started playing live.")
            .key("details").string("live")
            .key("clientid").number(1.0)
            .objectEnd();
        onStatusLength = writer.position();

        writer.wrap(connect, 0, connect.capacity())
            .string("connect").number(1)
            .objectBegin()
            .key("app").string("live")
            .key("flashVer").string("FMLE/3.0 (compatible; FMSc/1.0)")
            .key("swfUrl").string("rtmp://127.0.0.1:1935/live")
            .key("tcUrl").string("rtmp://127.0.0.1:1935/live")
            .key("fpad").bool(false)
            .key("capabilities").number(239)
            .key("audioCodecs").number(3575)
            .key("videoCodecs").number(252)
            .key("videoFunction").number(1)
            .key("objectEncoding").number(0)
            .objectEnd();
        connectLength = writer.position();

        for (int i = 0; i < VIDEO_LENGTH; i++)
        {
            video.putByte(i, (byte)i);
        }
        final ChunkStreamEncoder setup = new ChunkStreamEncoder(4);
        setup.chunkSize(CHUNK_SIZE);
        wire = new UnsafeBuffer(new byte[setup.maxEncodedLength(VIDEO_LENGTH)]);
        wireLength = setup.encode(wire, 0, wire.capacity(), 6, MessageType.VIDEO, 0, 1, video, 0, VIDEO_LENGTH);
        decoder = new ChunkStreamDecoder(this::onMessage);
        final UnsafeBuffer setChunkSize = new UnsafeBuffer(new byte[] { 2, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0x10, 0 });
        decoder.onBytes(setChunkSize, 0, setChunkSize.capacity());
        encoder.chunkSize(CHUNK_SIZE);

        flv = new UnsafeBuffer(Files.readAllBytes(media("avc-aac-6s.flv")));
    }

    private void onMessage(
        final int csid, final int type, final int ts, final int streamId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        delivered += length + buffer.getByte(offset);
    }

    private static Path media(final String name)
    {
        final String property = System.getProperty("flowcast.shared.dir");
        if (null != property)
        {
            return Paths.get(property, "media", name);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); null != dir; dir = dir.getParent())
        {
            final Path candidate = dir.resolve("shared").resolve("media").resolve(name);
            if (Files.exists(candidate))
            {
                return candidate;
            }
        }
        return Paths.get("/work/shared/media", name);
    }

    private long walk(final DirectBuffer buffer, final int length)
    {
        reader.wrap(buffer, 0, length);
        long sum = 0;
        int m;
        while ((m = reader.next()) != Amf0.END)
        {
            if (m < Amf0.END)
            {
                return m;
            }
            if (reader.keyEquals("code") || reader.keyEquals("app"))
            {
                sum += reader.stringLength();
            }
            sum += m;
        }
        return sum;
    }

    /**
     * @return a checksum of an AMF0 onStatus command walked value by value, matching keys in place.
     */
    @Benchmark
    public long amf0DecodeOnStatus()
    {
        return walk(onStatus, onStatusLength);
    }

    /**
     * @return a checksum of an AMF0 connect command (FMLE-like command object) walked value by value.
     */
    @Benchmark
    public long amf0DecodeConnect()
    {
        return walk(connect, connectLength);
    }

    /**
     * @return bytes delivered: one 64 KB video message in 17 chunks of 4096 bytes, reassembled.
     */
    @Benchmark
    public long rtmpChunkDecode64k()
    {
        decoder.onBytes(wire, 0, wireLength);
        return delivered;
    }

    /**
     * @return bytes delivered: the same message fed as 1448-byte TCP segments (headers split across reads).
     */
    @Benchmark
    public long rtmpChunkDecode64kTcpSegments()
    {
        for (int p = 0; p < wireLength; p += TCP_SEGMENT)
        {
            decoder.onBytes(wire, p, Math.min(TCP_SEGMENT, wireLength - p));
        }
        return delivered;
    }

    /**
     * @return bytes written: one 64 KB video message as chunks of 4096 bytes (type 2/3 headers in steady state).
     */
    @Benchmark
    public int rtmpChunkEncode64k()
    {
        timestamp += 40;
        return encoder.encode(wire, 0, wire.capacity(), 6, MessageType.VIDEO, timestamp, 1, video, 0, VIDEO_LENGTH);
    }

    /**
     * @return keyframe count: every tag of a 6 s H.264/AAC FLV file (414 tags, 266 KB) iterated, video headers read.
     */
    @Benchmark
    public int flvIterateTags()
    {
        flvReader.wrap(flv, 0, flv.capacity()).readHeader();
        int keyframes = 0;
        while (flvReader.next() >= 0)
        {
            if (FlvTagHeader.TYPE_VIDEO == flvReader.tagType() &&
                videoTagHeader.wrap(flv, flvReader.dataOffset(), flvReader.dataSize()) > 0 &&
                videoTagHeader.isKeyframe())
            {
                keyframes++;
            }
        }
        return keyframes;
    }
}
