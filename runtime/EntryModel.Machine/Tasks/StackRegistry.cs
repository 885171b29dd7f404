namespace EntryModel.Machine.Tasks;

/// <summary>Every stack the machine knows, answering "which stack is this address on" for unwinders and ground truth.</summary>
public sealed class StackRegistry
{
    private readonly List<StackInfo> stacks = [];

    public IReadOnlyList<StackInfo> All => stacks;

    public StackInfo Add(StackInfo stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        foreach (var s in stacks)
        {
            if (stack.Low < s.High && s.Low < stack.High)
            {
                throw new InvalidOperationException($"stack {stack} overlaps {s}");
            }
        }

        stacks.Add(stack);
        return stack;
    }

    /// <summary>The stack holding <paramref name="address"/>, or null.</summary>
    public StackInfo? Find(ulong address)
    {
        foreach (var s in stacks)
        {
            if (s.Contains(address))
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>The stack a stack pointer value belongs to (a pointer at a stack's very top counts as that stack).</summary>
    public StackInfo? FindByPointer(ulong rsp)
    {
        foreach (var s in stacks)
        {
            if (s.HoldsPointer(rsp))
            {
                return s;
            }
        }

        return null;
    }

    internal void Restore(IEnumerable<StackInfo> saved)
    {
        stacks.Clear();
        stacks.AddRange(saved);
    }
}
