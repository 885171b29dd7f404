namespace EntryModel.Unwinding.Image;

/// <summary>
/// Where struct pt_regs keeps each register, by offset from its start, taken from the image's own
/// constants (R15 .. SS, SIZEOF_PTREGS) so that unwinders and entry code agree by construction.
/// </summary>
public sealed record PtRegsLayout(IReadOnlyDictionary<string, int> Offsets, int Size)
{
    /// <summary>The registers in the kernel's field order, lowest address first.</summary>
    public static IReadOnlyList<string> Fields { get; } =
        ["R15", "R14", "R13", "R12", "RBP", "RBX", "R11", "R10", "R9", "R8", "RAX", "RCX", "RDX", "RSI", "RDI", "ORIG_RAX", "RIP", "CS", "EFLAGS", "RSP", "SS"];

    /// <summary>Linux x86-64's layout: 21 words in <see cref="Fields"/> order.</summary>
    public static PtRegsLayout Linux { get; } = new(Fields.Select((f, i) => (f, i * 8)).ToDictionary(p => p.f, p => p.Item2, StringComparer.Ordinal), Fields.Count * 8);

    public int Ip => Offsets["RIP"];

    public int Cs => Offsets["CS"];

    public int Sp => Offsets["RSP"];

    public int Bp => Offsets["RBP"];

    public int OrigAx => Offsets["ORIG_RAX"];

    /// <summary>The layout the image's constants give, or Linux's when it names none of them.</summary>
    public static PtRegsLayout FromImage(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!image.Constants.TryGetValue("SIZEOF_PTREGS", out long size) || !Fields.All(image.Constants.ContainsKey))
        {
            return Linux;
        }

        return new PtRegsLayout(Fields.ToDictionary(f => f, f => (int)image.Constants[f], StringComparer.Ordinal), (int)size);
    }
}
