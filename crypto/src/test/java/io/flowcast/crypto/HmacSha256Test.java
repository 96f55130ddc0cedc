package io.flowcast.crypto;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class HmacSha256Test
{
    @Test
    void matchesJceMacForKeyAndMessageLengthsAroundTheBlockSize() throws Exception
    {
        final Random random = new Random(2104);
        final Mac jce = Mac.getInstance("HmacSHA256");
        for (final int keyLength : new int[]{ 1, 16, 32, 63, 64, 65, 128, 512 })
        {
            final byte[] key = new byte[keyLength];
            random.nextBytes(key);
            jce.init(new SecretKeySpec(key, "HmacSHA256"));
            final HmacSha256 ours = new HmacSha256(key);
            for (final int messageLength : new int[]{ 0, 1, 55, 56, 64, 100, 1216, 3000 })
            {
                final byte[] message = new byte[messageLength];
                random.nextBytes(message);
                final byte[] expected = jce.doFinal(message);
                ours.update(message, 0, messageLength);
                assertThat(ours.doFinal()).as("key %d message %d", keyLength, messageLength).isEqualTo(expected);

                final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(messageLength + 3));
                direct.putBytes(3, message);
                ours.update(direct, 3, messageLength);
                assertThat(ours.doFinal()).isEqualTo(expected);
            }
        }
    }
}
