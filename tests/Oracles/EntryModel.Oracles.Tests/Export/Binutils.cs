using System.Diagnostics;

namespace EntryModel.Oracles.Tests.Export;

/// <summary>Runs a GNU binutils tool and returns what it printed. Missing binutils is a failure, not a skip: CI installs them.</summary>
internal static class Binutils
{
    public static string Run(string tool, params string[] args)
    {
        var (code, output, error) = TryRun(tool, args);
        return code == 0 ? output : throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({code}): {error}");
    }

    public static (int ExitCode, string Output, string Error) TryRun(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // readelf and objdump print in the C locale's words either way; fix it so the texts compare.
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {tool}");
        var error = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, error.Result);
    }
}
