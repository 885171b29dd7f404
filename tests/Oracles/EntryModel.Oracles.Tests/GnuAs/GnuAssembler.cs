using System.Diagnostics;
using EntryModel.Generators.Public;

namespace EntryModel.Oracles.Tests.GnuAs;

/// <summary>
/// The oracle: GNU as (binutils) assembles a file, GNU ld links it at a fixed address and objcopy
/// extracts the linked bytes of a section. Missing binutils is a failure, not a skip: CI installs them.
/// </summary>
internal static class GnuAssembler
{
    public const ulong TextAddress = 0xffffffff81000000UL;

    /// <summary>Assembles and links <paramref name="source"/>; returns the linked <c>.text</c> bytes.</summary>
    public static byte[] AssembleAndLink(string source, IEnumerable<string>? defines = null)
    {
        string dir = Directory.CreateTempSubdirectory("entrymodel-gas-").FullName;
        try
        {
            string s = Path.Combine(dir, "in.s"), o = Path.Combine(dir, "in.o"), elf = Path.Combine(dir, "out.elf"), bin = Path.Combine(dir, "out.bin");
            File.WriteAllText(s, source);

            // Kernel entry code goes through the C preprocessor (#ifdef); so does the oracle's input.
            if (source.Contains("#if", StringComparison.Ordinal))
            {
                string raw = Path.Combine(dir, "in.S");
                File.Move(s, raw);
                var cppArgs = new List<string> { "-P", "-x", "assembler-with-cpp" };
                cppArgs.AddRange((defines ?? []).Select(d => "-D" + d));
                cppArgs.AddRange(["-o", s, raw]);
                Run("cpp", cppArgs);
            }
            var asArgs = new List<string> { "--64" };
            foreach (var d in defines ?? [])
            {
                asArgs.Add("--defsym");
                asArgs.Add(d.Contains('=', StringComparison.Ordinal) ? d : d + "=1");
            }

            asArgs.AddRange(["-o", o, s]);
            Run("as", asArgs);
            Run("ld", ["-m", "elf_x86_64", $"-Ttext=0x{TextAddress:x}", "-e", $"0x{TextAddress:x}", "-o", elf, o]);
            Run("objcopy", ["-O", "binary", "-j", ".text", elf, bin]);
            return File.ReadAllBytes(bin);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Assembles <paramref name="sourceFile"/> as kbuild's gcc would hand it to as into
    /// <paramref name="objectFile"/>: <c>as --64</c>, or <c>as --32</c> for <see cref="ObjectFileMachine.I386"/> (gcc -m32).
    /// </summary>
    public static void AssembleObject(string sourceFile, string objectFile, ObjectFileMachine machine = ObjectFileMachine.Amd64) =>
        Run("as", [machine == ObjectFileMachine.I386 ? "--32" : "--64", "-o", objectFile, sourceFile]);

    /// <summary>
    /// What GNU as says when it refuses <paramref name="source"/> (its messages), or empty when it
    /// assembles it: for the texts the generator must refuse as GNU as does.
    /// </summary>
    public static string Errors(string source, ObjectFileMachine machine)
    {
        string dir = Directory.CreateTempSubdirectory("entrymodel-gas-errors-").FullName;
        try
        {
            string s = Path.Combine(dir, "in.s"), o = Path.Combine(dir, "in.o");
            File.WriteAllText(s, source);
            var psi = new ProcessStartInfo("as") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { machine == ObjectFileMachine.I386 ? "--32" : "--64", "-o", o, s })
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start as");
            string err = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? string.Empty : err;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Run(string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"GNU {tool} is not installed: .ci/run must install binutils ({ex.Message})", ex);
        }

        using (p)
        {
            string err = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"{tool} failed ({p.ExitCode}): {err}");
            }
        }
    }
}
