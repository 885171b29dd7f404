namespace EntryModel;

/// <summary>
/// An IDT entry stub. Inside the body, <c>\vector</c>, <c>\handler</c>, <c>\error_code</c> (1 when
/// the CPU pushes an error code), <c>\ist</c> and <c>\name</c> are substituted, as in a macro body.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class IdtEntryAttribute : GasCodeAttribute
{
    public IdtEntryAttribute(string name, int vector)
        : base(name)
    {
        Vector = vector;
        Kind = SymbolKind.Entry;
        Section = ".entry.text";
    }

    public int Vector { get; }

    /// <summary>Whether the CPU pushes an error code for this vector.</summary>
    public bool ErrorCode { get; set; }

    /// <summary>The C-level handler the stub calls.</summary>
    public string? Handler { get; set; }

    /// <summary>Interrupt stack table index (1..7), or 0 for none.</summary>
    public int Ist { get; set; }

    /// <summary>Whether this is an external interrupt (rather than an exception).</summary>
    public bool Interrupt { get; set; }

    /// <summary>Descriptor privilege level: 3 lets user mode reach it with <c>int</c>.</summary>
    public int Dpl { get; set; }
}

/// <summary>The 64-bit <c>syscall</c> entry point: the image's <c>MSR_LSTAR</c>.</summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class SyscallEntryAttribute : GasCodeAttribute
{
    public SyscallEntryAttribute(string name)
        : base(name)
    {
        Kind = SymbolKind.Entry;
        Section = ".entry.text";
    }
}
