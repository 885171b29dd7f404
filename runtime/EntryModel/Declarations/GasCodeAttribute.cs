namespace EntryModel;

/// <summary>
/// A symbol whose body is the field's GAS text: a kernel function, an entry stub, a marker
/// function such as the fake <c>pt_regs</c>, a user-mode function or a data object.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public class GasCodeAttribute : Attribute
{
    public GasCodeAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The symbol the body is assembled under.</summary>
    public string Name { get; }

    /// <summary>What kind of symbol this is (like <c>.type</c>).</summary>
    public SymbolKind Kind { get; set; } = SymbolKind.Function;

    /// <summary>A fixed start address; 0 means "after the previous declaration of the section".</summary>
    public ulong Address { get; set; }

    /// <summary>A fixed size: the code is padded to it, and code longer than it is an error. 0 means "as long as the code".</summary>
    public int Size { get; set; }

    /// <summary>Alignment of the start address when it is not fixed (a power of two).</summary>
    public int Align { get; set; } = 16;

    /// <summary>The section the body goes in.</summary>
    public string Section { get; set; } = ".text";
}
