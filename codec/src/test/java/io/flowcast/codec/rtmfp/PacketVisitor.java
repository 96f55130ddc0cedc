package io.flowcast.codec.rtmfp;

import io.flowcast.codec.OptionFlyweight;
import org.agrona.DirectBuffer;

/**
 * Test helper: decodes a plain packet completely (every chunk wrapped by its flyweight, every option, range, bitmap
 * run and address visited) and checks that every offset the codec reports lies inside the packet. Returns a checksum
 * of what it read, or throws {@link AssertionError} on a broken invariant.
 */
final class PacketVisitor
{
    final PacketDecoder decoder = new PacketDecoder();
    private final UserDataChunk userData = new UserDataChunk();
    private final DataAckRangesChunk ranges = new DataAckRangesChunk();
    private final DataAckBitmapChunk bitmap = new DataAckBitmapChunk();
    private final IHelloChunk iHello = new IHelloChunk();
    private final ForwardedIHelloChunk fiHello = new ForwardedIHelloChunk();
    private final RHelloChunk rHello = new RHelloChunk();
    private final RedirectChunk redirect = new RedirectChunk();
    private final RHelloCookieChangeChunk cookieChange = new RHelloCookieChangeChunk();
    private final IIKeyingChunk iiKeying = new IIKeyingChunk();
    private final RIKeyingChunk riKeying = new RIKeyingChunk();
    private final FlowChunk flow = new FlowChunk();
    private final PacketFragmentChunk fragment = new PacketFragmentChunk();
    private final OptionFlyweight options = new OptionFlyweight();

    long errors;
    long chunks;
    private int start;
    private int end;

    long visit(final DirectBuffer buffer, final int offset, final int length)
    {
        long sum = decoder.wrap(buffer, offset, length);
        if (sum < 0)
        {
            errors++;
            check(decoder.next() == PacketDecoder.END, "no chunk after a header error");
            return sum;
        }
        start = offset;
        end = offset + length;
        sum += decoder.flags() + decoder.timestamp() + decoder.timestampEcho();
        int type;
        while ((type = decoder.next()) != PacketDecoder.END)
        {
            chunks++;
            within(decoder.chunkOffset(), ChunkHeader.LENGTH + decoder.payloadLength());
            final int rc = visitChunk(type, buffer);
            if (rc < 0)
            {
                errors++;
            }
            sum += rc;
        }
        within(decoder.paddingOffset(), decoder.paddingLength());
        return sum;
    }

    private int visitChunk(final int type, final DirectBuffer buffer)
    {
        int rc;
        switch (type)
        {
            case ChunkType.USER_DATA:
            case ChunkType.NEXT_USER_DATA:
                if ((rc = userData.wrap(decoder)) >= 0)
                {
                    within(userData.optionsOffset(), userData.optionsLength());
                    within(userData.userDataOffset(), userData.userDataLength());
                    if (userData.metadataOffset() >= 0)
                    {
                        within(userData.metadataOffset(), userData.metadataLength());
                    }
                    check(userData.forwardSequenceNumber() >= 0, "forward sequence number >= 0");
                    if (userData.optionsPresent())
                    {
                        rc += options(userData.options(options));
                    }
                    rc += (int)(userData.flowId() + userData.sequenceNumber() + userData.fsnOffset());
                }
                return rc;
            case ChunkType.DATA_ACK_RANGES:
                if ((rc = ranges.wrap(decoder)) >= 0)
                {
                    long previous = ranges.cumulativeAck();
                    int r;
                    while ((r = ranges.nextRange()) == DataAckRangesChunk.RANGE)
                    {
                        check(ranges.rangeFrom() >= previous + 2 && ranges.rangeTo() >= ranges.rangeFrom(), "ranges");
                        previous = ranges.rangeTo();
                    }
                    rc = r < 0 ? r : (int)(previous + ranges.flowId() + ranges.bufferBlocksAvailable());
                }
                return rc;
            case ChunkType.DATA_ACK_BITMAP:
                if ((rc = bitmap.wrap(decoder)) >= 0)
                {
                    within(bitmap.bitmapOffset(), bitmap.bitmapLength());
                    while (bitmap.nextRange() == DataAckBitmapChunk.RANGE)
                    {
                        check(bitmap.isAcknowledged(bitmap.rangeFrom()) && bitmap.isAcknowledged(bitmap.rangeTo()),
                            "bitmap");
                    }
                }
                return rc;
            case ChunkType.IHELLO:
                if ((rc = iHello.wrap(decoder)) >= 0)
                {
                    within(iHello.epdOffset(), iHello.epdLength());
                    within(iHello.tagOffset(), iHello.tagLength());
                    rc += options(options.wrap(
                        buffer, iHello.epdOffset(), iHello.epdOffset() + iHello.epdLength(), false));
                }
                return rc;
            case ChunkType.FORWARDED_IHELLO:
                if ((rc = fiHello.wrap(decoder)) >= 0)
                {
                    within(fiHello.epdOffset(), fiHello.epdLength());
                    within(fiHello.replyAddressOffset(), fiHello.replyAddressLength());
                    within(fiHello.tagOffset(), fiHello.tagLength());
                    rc += Address.port(buffer, fiHello.replyAddressOffset());
                }
                return rc;
            case ChunkType.RHELLO:
                if ((rc = rHello.wrap(decoder)) >= 0)
                {
                    within(rHello.tagEchoOffset(), rHello.tagEchoLength());
                    within(rHello.cookieOffset(), rHello.cookieLength());
                    within(rHello.certificateOffset(), rHello.certificateLength());
                    final int certificate = rHello.certificateOffset();
                    rc += options(options.wrap(buffer, certificate, certificate + rHello.certificateLength(), false));
                }
                return rc;
            case ChunkType.REDIRECT:
                if ((rc = redirect.wrap(decoder)) >= 0)
                {
                    within(redirect.tagEchoOffset(), redirect.tagEchoLength());
                    int count = 0;
                    while (redirect.nextAddress() == RedirectChunk.ADDRESS)
                    {
                        final int a = redirect.addressOffset();
                        within(a, Address.length(buffer, a, end));
                        rc += Address.port(buffer, a) + Address.origin(buffer, a);
                        count++;
                    }
                    check(count == redirect.addressCount(), "address count");
                }
                return rc;
            case ChunkType.RHELLO_COOKIE_CHANGE:
                if ((rc = cookieChange.wrap(decoder)) >= 0)
                {
                    within(cookieChange.oldCookieOffset(), cookieChange.oldCookieLength());
                    within(cookieChange.newCookieOffset(), cookieChange.newCookieLength());
                }
                return rc;
            case ChunkType.IIKEYING:
                if ((rc = iiKeying.wrap(decoder)) >= 0)
                {
                    within(iiKeying.cookieOffset(), iiKeying.cookieLength());
                    within(iiKeying.certificateOffset(), iiKeying.certificateLength());
                    within(iiKeying.skicOffset(), iiKeying.skicLength());
                    within(iiKeying.signatureOffset(), iiKeying.signatureLength());
                    within(iiKeying.signedParametersOffset(), iiKeying.signedParametersLength());
                    rc += options(options.wrap(buffer, iiKeying.skicOffset(),
                        iiKeying.skicOffset() + iiKeying.skicLength(), false));
                }
                return rc;
            case ChunkType.RIKEYING:
                if ((rc = riKeying.wrap(decoder)) >= 0)
                {
                    within(riKeying.skrcOffset(), riKeying.skrcLength());
                    within(riKeying.signatureOffset(), riKeying.signatureLength());
                    within(riKeying.signedParametersOffset(), riKeying.signedParametersLength());
                }
                return rc;
            case ChunkType.BUFFER_PROBE:
            case ChunkType.FLOW_EXCEPTION_REPORT:
                return (rc = flow.wrap(decoder)) >= 0 ? (int)(flow.flowId() + flow.exception()) : rc;
            case ChunkType.PACKET_FRAGMENT:
                if ((rc = fragment.wrap(decoder)) >= 0)
                {
                    within(fragment.fragmentOffset(), fragment.fragmentLength());
                }
                return rc;
            default:
                return 0; // Ping, Ping Reply, Close, Close Ack, padding, unknown: payload only
        }
    }

    private int options(final OptionFlyweight options)
    {
        int sum = 0;
        int rc;
        while ((rc = options.next()) == OptionFlyweight.OPTION)
        {
            within(options.optionOffset(), options.optionLength());
            within(options.valueOffset(), options.valueLength());
            sum += (int)options.type();
        }
        return rc < 0 ? rc : sum;
    }

    private void within(final int offset, final int length)
    {
        if (!(length >= 0 && offset >= start && offset + length <= end && offset + length >= offset))
        {
            throw new AssertionError(
                "[" + offset + ", +" + length + ") outside the packet [" + start + ", " + end + ")");
        }
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }
}
