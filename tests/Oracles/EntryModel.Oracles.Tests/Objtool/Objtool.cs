using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EntryModel.Oracles.Tests.Objtool;

/// <summary>One objtool warning: the function, the offset in it, and the message.</summary>
internal sealed record ObjtoolWarning(string Function, long Offset, string Message);

/// <summary>One row of <c>objtool --dump=orc</c>: the place (<c>section+offset</c>) and the row's text.</summary>
internal sealed record ObjtoolOrcRow(string Section, long Offset, string Row);

/// <summary>What objtool said of an object: its warnings, and with <c>--orc</c> its rows and the raw <c>.orc_unwind</c> bytes.</summary>
internal sealed record ObjtoolReport(IReadOnlyList<ObjtoolWarning> Warnings, IReadOnlyList<ObjtoolOrcRow> Rows, byte[] OrcUnwind);

/// <summary>
/// The oracle for stack validation and ORC: GNU as assembles the source, then objtool (built by
/// .ci/run from Debian's linux-source-6.1 into a cache outside the repository) checks it with the
/// flags kbuild uses: <c>--stackval</c> for frame-pointer builds, <c>--orc</c> (and
/// <c>--dump=orc</c>) for ORC builds. A missing objtool is a failure, not a skip.
/// </summary>
internal static partial class Objtool
{
    public static string Path
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("ENTRYMODEL_OBJTOOL");
            string cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            string path = configured is { Length: > 0 } ? configured : System.IO.Path.Combine(cache, "entrymodel", "objtool", "objtool");
            return File.Exists(path) ? path : throw new InvalidOperationException($"objtool is not built at {path}: run .ci/run once (it builds tools/objtool from linux-source-6.1 into that cache)");
        }
    }

    /// <summary>Runs objtool on a copy of an object GNU as already made (objtool writes ORC sections into what it checks).</summary>
    public static ObjtoolReport CheckObject(byte[] elf, bool orc)
    {
        string tool = Path;
        string dir = Directory.CreateTempSubdirectory("entrymodel-objtool-").FullName;
        try
        {
            string o = System.IO.Path.Combine(dir, "in.o");
            File.WriteAllBytes(o, elf);
            var warnings = Warnings(Run(tool, orc ? ["--orc", o] : ["--stackval", o]));
            return new ObjtoolReport(warnings, orc ? Rows(Run(tool, ["--dump=orc", o])) : [], []);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Assembles <paramref name="source"/> and runs objtool on the object.</summary>
    public static ObjtoolReport Check(string source, bool orc)
    {
        string tool = Path;
        string dir = Directory.CreateTempSubdirectory("entrymodel-objtool-").FullName;
        try
        {
            string s = System.IO.Path.Combine(dir, "in.s"), o = System.IO.Path.Combine(dir, "in.o"), bin = System.IO.Path.Combine(dir, "orc.bin");
            File.WriteAllText(s, source);
            Run("as", ["--64", "-o", o, s]);
            string checkOutput = Run(tool, orc ? ["--orc", o] : ["--stackval", o]);
            var warnings = Warnings(checkOutput);
            if (!orc)
            {
                return new ObjtoolReport(warnings, [], []);
            }

            var rows = Rows(Run(tool, ["--dump=orc", o]));
            Run("objcopy", ["-O", "binary", "--only-section=.orc_unwind", o, bin]);
            return new ObjtoolReport(warnings, rows, File.Exists(bin) ? File.ReadAllBytes(bin) : []);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Every warning line: <c>func+0xoff: message</c> when objtool names a place, otherwise the
    /// whole message with no function and offset -1 (falls-through, end of section, fatal ones).
    /// </summary>
    private static List<ObjtoolWarning> Warnings(string output) =>
        [.. AnyWarning().Matches(output).Select(m => WarningLine().Match(m.Value) is { Success: true } placed
            ? new ObjtoolWarning(
                placed.Groups["func"].Value,
                long.Parse(placed.Groups["off"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                placed.Groups["msg"].Value.Trim())
            : new ObjtoolWarning(string.Empty, -1, m.Groups["msg"].Value.Trim()))];

    private static List<ObjtoolOrcRow> Rows(string output) =>
        [.. OrcLine().Matches(output).Select(m => new ObjtoolOrcRow(
            m.Groups["sec"].Value,
            long.Parse(m.Groups["off"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            m.Groups["row"].Value.Trim()))];

    /// <summary>
    /// objtool as kbuild runs it on a kernel entry object (Linux 6.1, x86_64_defconfig): its hacks
    /// and checks, with <c>--orc</c> (then <c>--dump=orc</c>) for the ORC build or <c>--stackval</c>
    /// for the frame-pointer one. Works on a copy; the object is not changed.
    /// </summary>
    public static ObjtoolReport CheckKernelObject(string objectPath, bool orc)
    {
        string tool = Path;
        string dir = Directory.CreateTempSubdirectory("entrymodel-objtool-").FullName;
        try
        {
            string o = System.IO.Path.Combine(dir, "in.o");
            File.Copy(objectPath, o);
            string[] flags = ["--hacks=jump_label", "--hacks=noinstr", orc ? "--orc" : "--stackval", "--retpoline", "--rethunk", "--static-call", "--uaccess", o];
            var warnings = Warnings(Run(tool, flags));
            return new ObjtoolReport(warnings, orc ? Rows(Run(tool, ["--dump=orc", o])) : [], []);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Run(string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        string err = stderr.GetAwaiter().GetResult();

        // objtool reports findings as warnings and still exits 0; anything else that fails is the harness's problem.
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({p.ExitCode}): {err}{stdout}");
        }

        return stdout + err;
    }

    [GeneratedRegex(@"warning: objtool: (?<func>[^\s+:]+)\+0x(?<off>[0-9a-f]+): (?<msg>[^\n]*)")]
    private static partial Regex WarningLine();

    [GeneratedRegex(@"warning: objtool: (?<msg>[^\n]*)")]
    private static partial Regex AnyWarning();

    [GeneratedRegex(@"^(?<sec>[^\s+:]+)\+(?<off>[0-9a-f]+):(?<row> sp:[^\n]*)$", RegexOptions.Multiline)]
    private static partial Regex OrcLine();
}
