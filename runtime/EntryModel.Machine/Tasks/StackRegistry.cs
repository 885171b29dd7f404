namespace EntryModel.Machine.Tasks;

/// <summary>
/// Every stack the machine knows: answers "which stack is this address on" for ground truth, and
/// gives unwinders a <see cref="IStackInfoProvider"/> per task (<see cref="For"/>).
/// </summary>
public sealed class StackRegistry
{
    private readonly List<StackInfo> stacks = [];
    // Keyed by the stack itself, not its value: a record's hash would hash its name at every lookup.
    private readonly Dictionary<StackInfo, TaskStackProvider> providers = new(ReferenceEqualityComparer.Instance);

    // The stacks as a snapshot keeps them, shared by every snapshot until the set changes.
    private StackInfo[]? saved;

    public IReadOnlyList<StackInfo> All => stacks;

    /// <summary>The registered stacks, for a snapshot to keep (one array while the set stays the same).</summary>
    internal StackInfo[] Saved => saved ??= [.. stacks];

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
        providers.Clear();
        saved = null;
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

    /// <summary>
    /// What a walk of the task whose kernel stack is <paramref name="taskStack"/> may use, as the
    /// kernel's <c>get_stack_info(sp, task, ...)</c>: that task's stack and the CPU's IRQ and IST
    /// stacks; never another task's stack or a user stack. Cached: asking again allocates nothing.
    /// </summary>
    public IStackInfoProvider For(StackInfo taskStack)
    {
        ArgumentNullException.ThrowIfNull(taskStack);
        if (!providers.TryGetValue(taskStack, out var provider))
        {
            provider = new TaskStackProvider([taskStack, .. stacks.Where(s => s.Kind is StackKind.Irq or StackKind.Ist)]);
            providers[taskStack] = provider;
        }

        return provider;
    }

    internal void Restore(StackInfo[] snapshot)
    {
        // Most restores bring back the stacks already registered: the providers stay valid then.
        if (Same(snapshot))
        {
            return;
        }

        stacks.Clear();
        stacks.AddRange(snapshot);
        providers.Clear();
        saved = snapshot;
    }

    private bool Same(StackInfo[] snapshot)
    {
        if (snapshot.Length != stacks.Count)
        {
            return false;
        }

        for (int i = 0; i < snapshot.Length; i++)
        {
            if (!ReferenceEquals(snapshot[i], stacks[i]))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class TaskStackProvider(StackInfo[] usable) : IStackInfoProvider
    {
        public bool TryGet(ulong address, out StackInfo stack)
        {
            foreach (var s in usable)
            {
                if (s.Contains(address))
                {
                    stack = s;
                    return true;
                }
            }

            stack = null!;
            return false;
        }
    }
}
