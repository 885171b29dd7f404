namespace EntryModel.Oracles.Kernel;

/// <summary>
/// One corpus file: its path in the kernel tree, where it is, and whether kbuild compiles it with
/// -m32 (then gcc hands it to <c>as --32</c>; otherwise <c>as --64</c>).
/// </summary>
public sealed record KernelCorpusFile(string KernelPath, string File, bool M32)
{
    /// <summary>The option that makes GNU as assemble it as kbuild's gcc has it assembled.</summary>
    public string AsOption => M32 ? "--32" : "--64";
}
