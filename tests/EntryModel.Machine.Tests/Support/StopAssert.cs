using EntryModel.Machine.Execution;

namespace EntryModel.Machine.Tests.Support;

internal static class StopAssert
{
    /// <summary>Asserts the run halted in the stub of <paramref name="vector"/> (the exception was delivered there).</summary>
    public static void DeliveredTo(StopReason stop, int vector)
    {
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted), stop.ToString());
        Assert.That(Rig.VectorOf(stop.Rip), Is.EqualTo(vector), stop.ToString());
    }

    public static void HaltedAt(StopReason stop, ulong rip)
    {
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted), stop.ToString());
        Assert.That(stop.Rip, Is.EqualTo(rip), stop.ToString());
    }
}
