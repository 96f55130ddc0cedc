package io.flowcast.engine.virtualtime;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * For virtual-time test classes ({@code @ExtendWith(VirtualTimeExtension.class)}): a failed test prints the seed and
 * simulated time of every harness it used (so the run can be replayed), and each class ends by printing the suite's
 * simulated seconds per CPU second so far.
 */
public final class VirtualTimeExtension implements BeforeEachCallback, TestWatcher, AfterAllCallback
{
    @Override
    public void beforeEach(final ExtensionContext context)
    {
        synchronized (VirtualTimeHarness.ACTIVE)
        {
            VirtualTimeHarness.ACTIVE.clear();
        }
    }

    @Override
    public void testFailed(final ExtensionContext context, final Throwable cause)
    {
        synchronized (VirtualTimeHarness.ACTIVE)
        {
            for (final VirtualTimeHarness harness : VirtualTimeHarness.ACTIVE)
            {
                System.out.println("FAILED " + context.getDisplayName() + " in virtual time: " + harness.describe());
            }
        }
    }

    @Override
    public void afterAll(final ExtensionContext context)
    {
        System.out.println(VirtualTimeHarness.totals());
    }
}
