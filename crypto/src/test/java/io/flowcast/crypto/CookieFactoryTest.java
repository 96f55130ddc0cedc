package io.flowcast.crypto;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.security.SecureRandom;

import static io.flowcast.codec.golden.GoldenSession.hex;
import static org.assertj.core.api.Assertions.assertThat;

class CookieFactoryTest
{
    private static final UnsafeBuffer V4 = new UnsafeBuffer(hex("7f000001aee4"));
    private static final UnsafeBuffer V4_OTHER_PORT = new UnsafeBuffer(hex("7f000001aee5"));
    private static final UnsafeBuffer V6 = new UnsafeBuffer(hex("fe800000000000000000000000000001aee4"));

    @Test
    void validForTheSameAddressWithinTheLifetime()
    {
        final CookieFactory factory = new CookieFactory(new SecureRandom(), 30);
        final UnsafeBuffer cookie = new UnsafeBuffer(new byte[CookieFactory.COOKIE_LENGTH]);
        assertThat(factory.issue(cookie, 0, V6, 0, 18, 1000)).isEqualTo(64);
        assertThat(factory.verify(cookie, 0, 64, V6, 0, 18, 1000)).isEqualTo(CookieFactory.VALID);
        assertThat(factory.verify(cookie, 0, 64, V6, 0, 18, 1030)).isEqualTo(CookieFactory.VALID);
        assertThat(factory.verify(cookie, 0, 64, V6, 0, 18, 1031)).isEqualTo(CookieFactory.ERROR_EXPIRED);

        final UnsafeBuffer second = new UnsafeBuffer(new byte[64]);
        factory.issue(second, 0, V4, 0, 6, 1000);
        assertThat(PacketProtectionTest.bytes(second, 0, 64)).isNotEqualTo(PacketProtectionTest.bytes(cookie, 0, 64));
        assertThat(factory.verify(second, 0, 64, V4, 0, 6, 1001)).isEqualTo(CookieFactory.VALID);
    }

    @Test
    void forgedAlteredOrMovedCookiesAreRefused()
    {
        final CookieFactory factory = new CookieFactory(new SecureRandom(), 30);
        final UnsafeBuffer cookie = new UnsafeBuffer(new byte[64]);
        factory.issue(cookie, 0, V4, 0, 6, 1000);
        assertThat(factory.verify(cookie, 0, 64, V4_OTHER_PORT, 0, 6, 1000)).isEqualTo(CookieFactory.ERROR_FORGED);
        assertThat(factory.verify(cookie, 0, 63, V4, 0, 6, 1000)).isEqualTo(CookieFactory.ERROR_LENGTH);
        for (int i = 1; i < 64; i += 5)
        {
            final UnsafeBuffer altered = new UnsafeBuffer(PacketProtectionTest.bytes(cookie, 0, 64));
            altered.putByte(i, (byte)(altered.getByte(i) ^ 1));
            assertThat(factory.verify(altered, 0, 64, V4, 0, 6, 1000)).as("byte %d", i)
                .isEqualTo(CookieFactory.ERROR_FORGED);
        }
        final CookieFactory other = new CookieFactory(new SecureRandom(), 30);
        final int rc = other.verify(cookie, 0, 64, V4, 0, 6, 1000);
        assertThat(rc).isIn(CookieFactory.ERROR_FORGED, CookieFactory.ERROR_EXPIRED);
    }

    @Test
    void survivesOneRotationThenExpires()
    {
        final CookieFactory factory = new CookieFactory(new SecureRandom(), 10);
        final UnsafeBuffer cookie = new UnsafeBuffer(new byte[64]);
        factory.issue(cookie, 0, V4, 0, 6, 100);
        final UnsafeBuffer later = new UnsafeBuffer(new byte[64]);
        factory.issue(later, 0, V4, 0, 6, 109);
        factory.issue(later, 0, V4, 0, 6, 110); // rotates
        assertThat(later.getByte(0)).isNotEqualTo(cookie.getByte(0));
        assertThat(factory.verify(cookie, 0, 64, V4, 0, 6, 110)).isEqualTo(CookieFactory.VALID);
        factory.issue(later, 0, V4, 0, 6, 120); // rotates again: the first secret is gone
        assertThat(factory.verify(cookie, 0, 64, V4, 0, 6, 110)).isEqualTo(CookieFactory.ERROR_EXPIRED);
        assertThat(factory.verify(later, 0, 64, V4, 0, 6, 121)).isEqualTo(CookieFactory.VALID);
    }

    @Test
    void issueAndVerifyAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final CookieFactory factory = new CookieFactory(new SecureRandom(), 1_000_000);
        final UnsafeBuffer cookie = new UnsafeBuffer(new byte[64]);
        int valid = 0;
        for (int i = 0; i < 20_000; i++)
        {
            factory.issue(cookie, 0, V4, 0, 6, 5);
            valid += factory.verify(cookie, 0, 64, V4, 0, 6, 5) == CookieFactory.VALID ? 1 : 0;
        }
        final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 1_000; i++)
        {
            factory.issue(cookie, 0, V4, 0, 6, 6);
            valid += factory.verify(cookie, 0, 64, V4, 0, 6, 6) == CookieFactory.VALID ? 1 : 0;
        }
        final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(valid).isEqualTo(21_000);
        assertThat(allocated).isZero();
    }
}
