namespace EntryModel.Unwinding.Tests.Support;

/// <summary>
/// Memory that stops a walk after <paramref name="budget"/> reads by throwing: a loop inside one
/// Start or NextFrame call (which a step count cannot see) reads memory on every turn, so it ends
/// here as a failure instead of hanging the test run.
/// </summary>
internal sealed class ReadBudgetMemory(IMemoryReader under, int budget) : IMemoryReader
{
    private readonly int limit = budget;
    private int left = budget;

    public bool TryReadUInt64(ulong address, out ulong value)
    {
        Spend();
        return under.TryReadUInt64(address, out value);
    }

    public bool TryRead(ulong address, Span<byte> destination)
    {
        Spend();
        return under.TryRead(address, destination);
    }

    private void Spend()
    {
        if (--left < 0)
        {
            throw new InvalidOperationException($"the walk read memory more than {limit} times: it does not end");
        }
    }
}
