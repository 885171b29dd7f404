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

    // The offsets unwinders read on every pt_regs frame, looked up once (a string-keyed lookup each
    // time cost more than the rest of the frame).
    public int Ip { get; } = Offsets["RIP"];

    public int Cs { get; } = Offsets["CS"];

    public int Sp { get; } = Offsets["RSP"];

    public int Bp { get; } = Offsets["RBP"];

    public int OrigAx { get; } = Offsets["ORIG_RAX"];

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
