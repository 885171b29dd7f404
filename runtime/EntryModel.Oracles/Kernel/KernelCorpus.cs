namespace EntryModel.Oracles.Kernel;

/// <summary>
/// Linux 6.1's x86 entry and lib assembly after kbuild's cpp step, prepared outside the repository
/// by <c>.ci/kernel-corpus</c> (x86_64_defconfig with ORC, and with frame pointers), for the oracle
/// tests and the benchmarks. A missing corpus is an error, never a skip: CI prepares it.
/// </summary>
public static class KernelCorpus
{
    /// <summary>The configurations the corpus holds, one directory each.</summary>
    public static IReadOnlyList<string> Configurations { get; } = ["orc", "frame-pointer"];

    /// <summary>ENTRYMODEL_KERNEL_CORPUS, else $XDG_CACHE_HOME (or ~/.cache) + entrymodel/kernel/corpus.</summary>
    public static string Root
    {
        get
        {
            string? dir = Environment.GetEnvironmentVariable("ENTRYMODEL_KERNEL_CORPUS");
            if (string.IsNullOrEmpty(dir))
            {
                string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x
                    ? x
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
                dir = Path.Combine(cache, "entrymodel", "kernel", "corpus");
            }

            if (!File.Exists(Path.Combine(dir, Configurations[0], "files.txt")))
            {
                throw new InvalidOperationException($"the kernel corpus is missing at {dir}: run .ci/kernel-corpus <cache dir> (CI does) or set ENTRYMODEL_KERNEL_CORPUS");
            }

            return dir;
        }
    }

    /// <summary>Every 64-bit corpus file of a configuration: its path in the kernel tree and where it is.</summary>
    public static IEnumerable<(string KernelPath, string File)> Files(string configuration) =>
        Objects(configuration).Where(f => !f.M32).Select(f => (f.KernelPath, f.File));

    /// <summary>
    /// Every corpus file of a configuration, with whether kbuild compiles it with -m32 (the 32-bit
    /// vDSO: as --32, 32-bit code in an ELF32 i386 object), as the corpus's m32.txt records it.
    /// </summary>
    public static IEnumerable<KernelCorpusFile> Objects(string configuration)
    {
        string root = Path.Combine(Root, configuration);
        string m32List = Path.Combine(root, "m32.txt");
        if (!File.Exists(m32List))
        {
            throw new InvalidOperationException($"the kernel corpus at {Root} has no {configuration}/m32.txt (it predates the -m32 lists): run .ci/kernel-corpus <cache dir> again");
        }

        var m32 = File.ReadAllLines(m32List).Where(line => line.Length > 0).ToHashSet(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(root, "files.txt")))
        {
            if (line.Length > 0)
            {
                yield return new KernelCorpusFile(line, Path.Combine(root, line), m32.Contains(line));
            }
        }
    }

    /// <summary>One file of a configuration by its path in the kernel tree (e.g. <c>arch/x86/entry/entry_64.s</c>).</summary>
    public static string PathOf(string configuration, string kernelPath) =>
        Files(configuration).FirstOrDefault(f => f.KernelPath == kernelPath).File
        ?? throw new InvalidOperationException($"the kernel corpus has no {kernelPath} for {configuration}");
}
