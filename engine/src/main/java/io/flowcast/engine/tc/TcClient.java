package io.flowcast.engine.tc;

import io.flowcast.codec.amf.Amf0;
import io.flowcast.codec.amf.Amf0Command;
import io.flowcast.codec.amf.Amf0Reader;
import io.flowcast.codec.amf.Amf0Writer;
import io.flowcast.codec.rtmp.MessageType;
import io.flowcast.codec.rtmp.UserControl;
import io.flowcast.codec.tc.TcFlowMetadata;
import io.flowcast.codec.tc.TcMessageFlyweight;
import io.flowcast.engine.media.MessageKind;
import io.flowcast.engine.flow.FlowListener;
import io.flowcast.engine.flow.FlowOptions;
import io.flowcast.engine.flow.OfferStatus;
import io.flowcast.engine.flow.ReceiveFlow;
import io.flowcast.engine.flow.SendFlow;
import io.flowcast.engine.session.Session;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The client side of an RFC 7425 NetConnection with one NetStream, over an open RTMFP session: our control flow
 * (TC/0, unassociated) carries {@code connect} and {@code createStream}; the server answers on its control flow; our
 * stream flows (TC/N: commands and data, audio, video) are return flows of the server's control flow (§5.1). Incoming
 * flows are merged by their stream ID; Flow Sync (§5.2) is honoured, so a status that follows media on another flow is
 * delivered after it. Used by {@code flowcast publish} and {@code flowcast play}. Agent thread only (the client's
 * invoker thread).
 */
public final class TcClient implements FlowListener
{
    /** What the application sees. */
    public interface Listener
    {
        /**
         * The connect was answered.
         *
         * @param success     NetConnection.Connect.Success.
         * @param code        the status code.
         * @param description its description.
         */
        void onConnect(boolean success, String code, String description);

        /**
         * createStream was answered.
         *
         * @param streamId the stream ID, or -1 when refused.
         */
        void onStreamCreated(int streamId);

        /**
         * An {@code onStatus} for a stream, or an {@code _error} of a command.
         *
         * @param streamId    message stream ID.
         * @param level       "status", "error", "warning".
         * @param code        e.g. NetStream.Play.Start.
         * @param description the server's text.
         */
        void onStatus(int streamId, String level, String code, String description);

        /**
         * Audio, video or data message of a stream.
         *
         * @param streamId  message stream ID.
         * @param type      RTMP message type.
         * @param timestamp ms.
         * @param buffer    holds the payload.
         * @param offset    of the payload.
         * @param length    of the payload.
         */
        void onMedia(int streamId, int type, int timestamp, DirectBuffer buffer, int offset, int length);
    }

    /** A Flow Sync not completed within this long releases its flows (a sync the server could not queue on a flow). */
    public static final long SYNC_TIMEOUT_NS = 5_000_000_000L;

    /** §5.3.4: keepalive periods a server asks for below this are raised to it (as the reference client does). */
    public static final long MIN_KEEPALIVE_MS = 5_000;
    /** Video expires after this long unsent or undelivered, by default (a congested publisher skips, not lags). */
    public static final long DEFAULT_VIDEO_LIFETIME_NS = 2_000_000_000L;
    /** Audio expires after this long, by default. */
    public static final long DEFAULT_AUDIO_LIFETIME_NS = 2_200_000_000L;
    /** At a keyframe, the previous GOP's undelivered video may still take this long (the reference's margin). */
    public static final long PREVIOUS_GOP_MARGIN_NS = 100_000_000L;

    private static final int CONNECT_TRANSACTION = 1;
    private static final int CREATE_STREAM_TRANSACTION = 2;
    private static final FlowOptions DATA_OPTIONS = new FlowOptions().bufferBytes(256 * 1024).maxQueuedFragments(512)
        .measureLatency(false);
    private static final FlowOptions MEDIA_OPTIONS = new FlowOptions().bufferBytes(2 * 1024 * 1024)
        .maxQueuedFragments(4096).measureLatency(false);

    private final Session session;
    private final Listener listener;
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[64 * 1024]);
    private final Amf0Writer writer = new Amf0Writer();
    private final Amf0Command command = new Amf0Command();
    private final TcMessageFlyweight message = new TcMessageFlyweight();
    private final TcFlowMetadata metadata = new TcFlowMetadata();
    private final UserControl userControl = new UserControl();
    private final Map<Long, Barrier> barriers = new HashMap<>();
    /** Scratch of {@link #poll}: barriers past their timeout, released after the iteration. */
    private final List<Barrier> expiredBarriers = new ArrayList<>(2);
    private final SendFlow[] streamFlows = new SendFlow[TcFlows.KINDS];
    private SendFlow control;
    private ReceiveFlow serverControl;
    private int streamId = -1;
    private long malformed;
    private long keepaliveServerMs = -1;
    private long videoLifetimeNs = DEFAULT_VIDEO_LIFETIME_NS;
    private long audioLifetimeNs = DEFAULT_AUDIO_LIFETIME_NS;
    private final MessageKind classifier = new MessageKind();
    private boolean expirePreviousGop = true;
    private long gopStartSn = -1;
    private String authToken;
    private String serverFingerprint;

    /**
     * @param session  an open session to the server; set this object as its flow listener.
     * @param listener the application.
     */
    public TcClient(final Session session, final Listener listener)
    {
        this.session = session;
        this.listener = listener;
    }

    /**
     * Open the control flow and send {@code connect} (AMF0, objectEncoding 0).
     *
     * @param tcUrl the server URI (without the fragment).
     * @param app   the app.
     * @param args  extra connect arguments (tokens), may be empty.
     * @return false when the flow could not be opened.
     */
    public boolean connect(final String tcUrl, final String app, final String... args)
    {
        control = session.openFlow(TcFlows.metadata(0), null, DATA_OPTIONS);
        if (null == control)
        {
            return false;
        }
        final Amf0Writer w = begin(MessageType.COMMAND_AMF0, "connect", CONNECT_TRANSACTION)
            .objectBegin()
            .key("app").string(app)
            .key("tcUrl").string(tcUrl)
            .key("flashVer").string("FMLE/3.0 (compatible; flowcast)")
            .key("objectEncoding").number(0)
            .objectEnd();
        for (final String arg : args)
        {
            w.string(arg);
        }
        return offer(control, TcFlows.PRIORITY_DATA) > 0;
    }

    /**
     * {@code setPeerInfo} with our addresses for peer-to-peer introductions (§5.3.3; may be none), as Flash sends it
     * after connecting. Servers answer it with Set Keepalive Timers (§5.3.4), which this client applies.
     *
     * @param addresses "ip:port" strings, IPv6 as "[addr]:port".
     * @return false when it could not be queued.
     */
    public boolean setPeerInfo(final String... addresses)
    {
        final Amf0Writer w = begin(MessageType.COMMAND_AMF0, "setPeerInfo", 0).nul();
        for (final String address : addresses)
        {
            w.string(address);
        }
        return offer(control, TcFlows.PRIORITY_DATA) > 0;
    }

    /**
     * Lifetimes of the media this client publishes (RFC 7016 §3.6.2.7 abandonment, as Flash and the reference
     * publisher do): a frame not delivered within its lifetime is abandoned rather than delaying the ones after it.
     * Codec configuration (sequence headers) never expires.
     *
     * @param videoNs video lifetime, 0 for none.
     * @param audioNs audio lifetime, 0 for none.
     * @return this.
     */
    public TcClient mediaLifetimes(final long videoNs, final long audioNs)
    {
        this.videoLifetimeNs = Math.max(0, videoNs);
        this.audioLifetimeNs = Math.max(0, audioNs);
        return this;
    }

    /**
     * @param expire at each keyframe, give the previous GOP's undelivered video {@link #PREVIOUS_GOP_MARGIN_NS} more
     *               and then abandon it (the default, as the reference publisher does); false keeps each frame's own
     *               lifetime only.
     * @return this.
     */
    public TcClient expirePreviousGop(final boolean expire)
    {
        this.expirePreviousGop = expire;
        return this;
    }

    /**
     * Ask for a NetStream ({@link Listener#onStreamCreated} follows).
     *
     * @return false when it could not be queued.
     */
    public boolean createStream()
    {
        begin(MessageType.COMMAND_AMF0, "createStream", CREATE_STREAM_TRANSACTION).nul();
        return offer(control, TcFlows.PRIORITY_DATA) > 0;
    }

    /**
     * @param name stream name.
     * @return false when it could not be queued.
     */
    public boolean publish(final String name)
    {
        begin(MessageType.COMMAND_AMF0, "publish", 0).nul().string(name).string("live");
        return offer(streamFlow(TcFlows.DATA), TcFlows.PRIORITY_DATA) > 0;
    }

    /**
     * @param name stream name.
     * @return false when it could not be queued.
     */
    public boolean play(final String name)
    {
        begin(MessageType.COMMAND_AMF0, "play", 0).nul().string(name);
        return offer(streamFlow(TcFlows.DATA), TcFlows.PRIORITY_DATA) > 0;
    }

    /**
     * {@code closeStream} then {@code deleteStream} for our stream.
     */
    public void closeStream()
    {
        if (streamId > 0)
        {
            begin(MessageType.COMMAND_AMF0, "closeStream", 0).nul();
            offer(streamFlow(TcFlows.DATA), TcFlows.PRIORITY_DATA);
            begin(MessageType.COMMAND_AMF0, "deleteStream", 0).nul().number(streamId);
            offer(control, TcFlows.PRIORITY_DATA);
        }
    }

    /**
     * Send a message on our stream's flow for its type (audio, video, or commands and data).
     *
     * @param type      RTMP message type.
     * @param timestamp ms.
     * @param buffer    holds the payload.
     * @param offset    of the payload.
     * @param length    of the payload.
     * @return the flow's {@link SendFlow#offer} result: positive when queued, {@link OfferStatus#BACK_PRESSURED}
     * when the caller should run the endpoint and try again.
     */
    public long send(final int type, final int timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        if (streamId < 0)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        final int kind = TcFlows.kind(type);
        final SendFlow flow = streamFlow(kind);
        if (null == flow)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        if (TcMessageFlyweight.HEADER_LENGTH + length > out.capacity())
        {
            // a large keyframe: grow once, keep it
            out.wrap(new byte[Integer.highestOneBit(TcMessageFlyweight.HEADER_LENGTH + length) << 1]);
        }
        long lifetimeNs = 0;
        final int messageKind = TcFlows.DATA == kind ? MessageKind.DATA : classifier.classify(type, buffer, offset,
            length);
        if (TcFlows.DATA != kind && !MessageKind.isConfig(messageKind))
        {
            lifetimeNs = TcFlows.VIDEO == kind ? videoLifetimeNs : audioLifetimeNs;
        }
        TcMessageFlyweight.encodeHeader(out, 0, type, timestamp);
        out.putBytes(TcMessageFlyweight.HEADER_LENGTH, buffer, offset, length);
        final long sn = flow.offer(out, 0, TcMessageFlyweight.HEADER_LENGTH + length, TcFlows.priority(kind),
            lifetimeNs, TcFlows.DATA != kind);
        if (sn > 0 && MessageKind.KEYFRAME == messageKind && expirePreviousGop)
        {
            // a new GOP: what is left of the previous one is worth nothing once this keyframe is decodable
            if (gopStartSn > 0)
            {
                flow.expire(gopStartSn, sn, PREVIOUS_GOP_MARGIN_NS);
            }
            gopStartSn = sn;
        }
        return sn;
    }

    /**
     * @return bytes our flows hold that the server has not acknowledged yet.
     */
    public long bytesQueued()
    {
        long queued = null == control ? 0 : control.bytesQueued();
        for (final SendFlow flow : streamFlows)
        {
            if (null != flow)
            {
                queued += flow.bytesQueued();
            }
        }
        return queued;
    }

    /**
     * Close our flows in order (the server ends the NetConnection when the control flow closes).
     */
    public void closeFlows()
    {
        for (final SendFlow flow : streamFlows)
        {
            if (null != flow)
            {
                flow.close();
            }
        }
        if (null != control)
        {
            control.close();
        }
    }

    /**
     * @return our stream ID, or -1.
     */
    public int streamId()
    {
        return streamId;
    }

    /**
     * @return TC messages from the server that could not be read.
     */
    public long malformedMessages()
    {
        return malformed;
    }

    /**
     * @return the connect reply's {@code authToken} (the token hashed with our session nonce: the server proves it
     * knows the token), or null.
     */
    public String authToken()
    {
        return authToken;
    }

    /**
     * @return the connect reply's {@code serverFingerprint}, or null.
     */
    public String serverFingerprint()
    {
        return serverFingerprint;
    }

    /**
     * @return the server keepalive period of the server's last Set Keepalive Timers (§5.3.4), or -1.
     */
    public long keepaliveServerMs()
    {
        return keepaliveServerMs;
    }

    private Amf0Writer begin(final int type, final String name, final double txn)
    {
        TcMessageFlyweight.encodeHeader(out, 0, type, 0);
        return writer.wrap(out, TcMessageFlyweight.HEADER_LENGTH, out.capacity() - TcMessageFlyweight.HEADER_LENGTH)
            .string(name).number(txn);
    }

    private long offer(final SendFlow flow, final int priority)
    {
        if (null == flow)
        {
            return OfferStatus.NOT_CONNECTED;
        }
        return flow.offer(out, 0, writer.position(), priority, 0, false);
    }

    private SendFlow streamFlow(final int kind)
    {
        if (streamId < 0 || null == serverControl)
        {
            return null;
        }
        SendFlow flow = streamFlows[kind];
        if (null == flow)
        {
            flow = session.openFlow(TcFlows.metadata(streamId), serverControl,
                TcFlows.DATA == kind ? DATA_OPTIONS : MEDIA_OPTIONS);
            streamFlows[kind] = flow;
        }
        return flow;
    }

    // ------------------------------------------------------------------------------------------------ input

    @Override
    public void onFlowOpened(final ReceiveFlow flow)
    {
        final byte[] bytes = flow.metadata();
        if (metadata.wrap(new UnsafeBuffer(bytes), 0, bytes.length) < 0)
        {
            flow.reject(0);
            return;
        }
        final long id = metadata.streamId();
        if (0 == id && null == serverControl && null != control && flow.association() == control)
        {
            serverControl = flow;
        }
        flow.attachment(id);
    }

    @Override
    public void onMessage(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!(flow.attachment() instanceof Long) || message.wrap(buffer, offset, length) < 0)
        {
            malformed++;
            return;
        }
        final int id = (int)(long)(Long)flow.attachment();
        final int type = message.type();
        final int timestamp = (int)message.timestamp();
        switch (type)
        {
            case MessageType.USER_CONTROL:
                onUserControl(flow, buffer, message.payloadOffset(), message.payloadLength());
                break;

            case MessageType.COMMAND_AMF0:
            case MessageType.COMMAND_AMF3:
                onCommand(id, buffer, message.amfOffset(), message.amfLength());
                break;

            case MessageType.AUDIO:
            case MessageType.VIDEO:
            case MessageType.DATA_AMF0:
            case MessageType.DATA_AMF3:
                listener.onMedia(id, type, timestamp, buffer, message.payloadOffset(), message.payloadLength());
                break;

            default:
                break;
        }
    }

    private void onUserControl(final ReceiveFlow flow, final DirectBuffer buffer, final int offset, final int length)
    {
        final int event = userControl.wrap(buffer, offset, length);
        if (UserControl.FLOW_SYNC == event)
        {
            // §5.2: hold this flow until the sync ID has been seen on `count` flows
            final long syncId = userControl.first();
            final long count = userControl.second();
            final Barrier barrier = barriers.computeIfAbsent(syncId, k -> new Barrier());
            barrier.seen++;
            if (barrier.seen >= count)
            {
                barriers.remove(syncId);
                for (final ReceiveFlow held : barrier.held)
                {
                    held.resume();
                }
            }
            else
            {
                barrier.held.add(flow);
                flow.pause();
            }
        }
        else if (UserControl.SET_KEEPALIVE_TIMERS == event)
        {
            // §5.3.4: the server keepalive period becomes our session's, no shorter than the floor
            keepaliveServerMs = userControl.first();
            if (keepaliveServerMs > 0)
            {
                session.keepaliveInterval(Math.max(MIN_KEEPALIVE_MS, keepaliveServerMs), TimeUnit.MILLISECONDS);
            }
        }
    }

    private void onCommand(final int id, final DirectBuffer buffer, final int offset, final int length)
    {
        if (command.wrap(buffer, offset, length) < 0)
        {
            malformed++;
            return;
        }
        final double txn = command.transactionId();
        final boolean result = command.nameEquals("_result");
        final boolean error = command.nameEquals("_error");
        if (!result && !error && !command.nameEquals("onStatus"))
        {
            return;
        }
        String level = null;
        String code = null;
        String description = null;
        double number = -1;
        final Amf0Reader reader = command.reader();
        int marker;
        while ((marker = reader.next()) >= Amf0.END && Amf0.END != marker)
        {
            if (Amf0.NUMBER == marker)
            {
                number = reader.number();
            }
            else if (Amf0.OBJECT == marker || Amf0.ECMA_ARRAY == marker)
            {
                while ((marker = reader.next()) != Amf0.OBJECT_END)
                {
                    if (marker < Amf0.END || Amf0.END == marker)
                    {
                        malformed++;
                        return;
                    }
                    if (Amf0.STRING == marker && reader.keyEquals("code"))
                    {
                        code = reader.string();
                    }
                    else if (Amf0.STRING == marker && reader.keyEquals("level"))
                    {
                        level = reader.string();
                    }
                    else if (Amf0.STRING == marker && reader.keyEquals("description"))
                    {
                        description = reader.string();
                    }
                    else if (Amf0.STRING == marker && reader.keyEquals("authToken"))
                    {
                        authToken = reader.string();
                    }
                    else if (Amf0.STRING == marker && reader.keyEquals("serverFingerprint"))
                    {
                        serverFingerprint = reader.string();
                    }
                    else if (reader.skipContainer() < Amf0.END)
                    {
                        malformed++;
                        return;
                    }
                }
            }
        }
        if (CONNECT_TRANSACTION == txn && (result || error))
        {
            listener.onConnect(result && "NetConnection.Connect.Success".equals(code), code, description);
        }
        else if (CREATE_STREAM_TRANSACTION == txn && (result || error))
        {
            streamId = result && number > 0 ? (int)number : -1;
            listener.onStreamCreated(streamId);
        }
        else if (null != code)
        {
            listener.onStatus(id, level, code, description);
        }
    }

    /**
     * Release the flows held at a Flow Sync for longer than {@link #SYNC_TIMEOUT_NS}; call it from the duty cycle.
     *
     * @param nowNs the duty cycle's clock.
     * @return barriers released.
     */
    public int poll(final long nowNs)
    {
        if (barriers.isEmpty())
        {
            return 0;
        }
        int released = 0;
        final List<Barrier> expired = expiredBarriers;
        expired.clear();
        for (final java.util.Iterator<Barrier> it = barriers.values().iterator(); it.hasNext(); )
        {
            final Barrier barrier = it.next();
            if (Long.MIN_VALUE == barrier.createdNs)
            {
                barrier.createdNs = nowNs;
            }
            else if (nowNs - barrier.createdNs > SYNC_TIMEOUT_NS)
            {
                it.remove();
                expired.add(barrier);
            }
        }
        for (final Barrier barrier : expired)
        {
            released++;
            for (final ReceiveFlow held : barrier.held)
            {
                held.resume(); // may deliver, and meet new syncs: after the iteration
            }
        }
        expired.clear();
        return released;
    }

    private static final class Barrier
    {
        /** Stamped by the first {@link #poll(long)} after creation, so the timeout runs on the duty cycle's clock. */
        long createdNs = Long.MIN_VALUE;
        int seen;
        final List<ReceiveFlow> held = new ArrayList<>(3);
    }
}
