package io.flowcast.crypto;

import io.flowcast.codec.OptionFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * An Endpoint Discriminator (notes §4.7, RFC 7425 §4.4): options Required Hostname (0x00), Ancillary Data (0x0A,
 * the URI for servers) and Fingerprint (0x0F). {@link #selects(Certificate, byte[])} is the rule a responder applies
 * to an IHello (and an initiator to an RHello's certificate): a fingerprint decides alone; otherwise a required
 * hostname must equal the certificate's, and ancillary data needs a certificate that accepts it (the responder may
 * filter further on {@link #ancillaryDataOffset()}). Parsed in place; reuse one instance.
 */
public final class EndpointDiscriminator
{
    /** Option type: Required Hostname. */
    public static final int REQUIRED_HOSTNAME = 0x00;
    /** Option type: Ancillary Data. */
    public static final int ANCILLARY_DATA = 0x0A;
    /** Option type: Fingerprint. */
    public static final int FINGERPRINT = 0x0F;
    /** Length of the canonical EPD {@code 21 0F} + fingerprint (§4.4.4). */
    public static final int CANONICAL_LENGTH = 2 + Certificate.FINGERPRINT_LENGTH;

    /** {@link #wrap}: parsed. */
    public static final int OK = 0;
    /** {@link #wrap}: malformed option list. */
    public static final int ERROR_MALFORMED = -1;
    /** {@link #wrap}: none of the three options. */
    public static final int ERROR_EMPTY = -2;

    private final OptionFlyweight options = new OptionFlyweight();
    private DirectBuffer buffer;
    private int hostnameOffset;
    private int hostnameLength;
    private int ancillaryDataOffset;
    private int ancillaryDataLength;
    private int fingerprintOffset;
    private int fingerprintLength;

    /**
     * @param buffer holding the EPD.
     * @param offset of its first byte.
     * @param length of the EPD.
     * @return {@link #OK} or a negative error code.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        hostnameOffset = -1;
        hostnameLength = 0;
        ancillaryDataOffset = -1;
        ancillaryDataLength = 0;
        fingerprintOffset = -1;
        fingerprintLength = 0;
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            return ERROR_MALFORMED;
        }
        options.wrap(buffer, offset, offset + length, false);
        int rc;
        while (OptionFlyweight.OPTION == (rc = options.next()))
        {
            final long type = options.type();
            if (REQUIRED_HOSTNAME == type)
            {
                hostnameOffset = options.valueOffset();
                hostnameLength = options.valueLength();
            }
            else if (ANCILLARY_DATA == type)
            {
                ancillaryDataOffset = options.valueOffset();
                ancillaryDataLength = options.valueLength();
            }
            else if (FINGERPRINT == type)
            {
                fingerprintOffset = options.valueOffset();
                fingerprintLength = options.valueLength();
            }
        }
        if (rc < 0)
        {
            return ERROR_MALFORMED;
        }
        return hostnameOffset < 0 && ancillaryDataOffset < 0 && fingerprintOffset < 0 ? ERROR_EMPTY : OK;
    }

    /**
     * The selection rule of §4.4 (notes §4.7) for a successfully wrapped EPD.
     *
     * @param certificate a wrapped, well-formed certificate.
     * @param fingerprint its fingerprint (32 bytes).
     * @return true when this EPD selects the certificate's endpoint.
     */
    public boolean selects(final Certificate certificate, final byte[] fingerprint)
    {
        if (fingerprintOffset >= 0)
        {
            if (Certificate.FINGERPRINT_LENGTH != fingerprintLength)
            {
                return false;
            }
            for (int i = 0; i < Certificate.FINGERPRINT_LENGTH; i++)
            {
                if (buffer.getByte(fingerprintOffset + i) != fingerprint[i])
                {
                    return false;
                }
            }
            return true;
        }
        if (hostnameOffset >= 0)
        {
            if (certificate.hostnameOffset() < 0 || certificate.hostnameLength() != hostnameLength)
            {
                return false;
            }
            final DirectBuffer certBuffer = certificate.buffer();
            for (int i = 0; i < hostnameLength; i++)
            {
                if (buffer.getByte(hostnameOffset + i) != certBuffer.getByte(certificate.hostnameOffset() + i))
                {
                    return false;
                }
            }
        }
        if (ancillaryDataOffset >= 0 && !certificate.acceptsAncillaryData())
        {
            return false;
        }
        return hostnameOffset >= 0 || ancillaryDataOffset >= 0;
    }

    /**
     * @return offset of the Ancillary Data value, -1 when absent.
     */
    public int ancillaryDataOffset()
    {
        return ancillaryDataOffset;
    }

    /**
     * @return length of the Ancillary Data value.
     */
    public int ancillaryDataLength()
    {
        return ancillaryDataLength;
    }

    /**
     * @return offset of the Required Hostname value, -1 when absent.
     */
    public int hostnameOffset()
    {
        return hostnameOffset;
    }

    /**
     * @return offset of the Fingerprint value, -1 when absent.
     */
    public int fingerprintOffset()
    {
        return fingerprintOffset;
    }

    /**
     * @param buffer      to write into.
     * @param offset      where.
     * @param fingerprint 32-byte fingerprint.
     * @return bytes written: the canonical EPD {@code 21 0F} + fingerprint (§4.4.4).
     */
    public static int encodeFingerprint(final MutableDirectBuffer buffer, final int offset, final byte[] fingerprint)
    {
        final int n = OptionFlyweight.encodeHeader(buffer, offset, FINGERPRINT, fingerprint.length);
        buffer.putBytes(offset + n, fingerprint);
        return n + fingerprint.length;
    }

    /**
     * @param buffer to write into.
     * @param offset where.
     * @param data   ancillary data, e.g. the UTF-8 {@code rtmfp://} URI.
     * @return bytes written.
     */
    public static int encodeAncillaryData(final MutableDirectBuffer buffer, final int offset, final byte[] data)
    {
        final int n = OptionFlyweight.encodeHeader(buffer, offset, ANCILLARY_DATA, data.length);
        buffer.putBytes(offset + n, data);
        return n + data.length;
    }

    /**
     * @param buffer   to write into.
     * @param offset   where.
     * @param hostname required hostname bytes.
     * @return bytes written.
     */
    public static int encodeRequiredHostname(final MutableDirectBuffer buffer, final int offset, final byte[] hostname)
    {
        final int n = OptionFlyweight.encodeHeader(buffer, offset, REQUIRED_HOSTNAME, hostname.length);
        buffer.putBytes(offset + n, hostname);
        return n + hostname.length;
    }
}
