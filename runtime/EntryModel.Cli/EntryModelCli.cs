using System.CommandLine;
using EntryModel.Cli.Commands;

namespace EntryModel.Cli;

/// <summary>
/// The command line: with no arguments it reproduces the seed's traces and the smart unwinder's
/// ideal one; <c>run</c>, <c>judge</c>, <c>list</c>, <c>disasm</c> and <c>dump-orc</c> reach everything else;
/// <c>export-object</c> assembles a GAS file into an ELF object; <c>export</c> writes a strategy's image as an ELF executable.
/// Wiring only: the work happens in EntryModel.Scenarios, EntryModel.Unwinding and EntryModel.Export.
/// </summary>
public static class EntryModelCli
{
    /// <summary>Exit code for a usage error: an unknown option or name, a missing argument.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        var root = new RootCommand("EntryModel: the seed's page-fault trace, before and after the pt_regs frame, and as the smart unwinder sees it, from a modelled x86-64 machine.");
        root.SetAction(SeedCommand.Invoke);
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(JudgeCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(DisasmCommand.Create());
        root.Subcommands.Add(DumpOrcCommand.Create());
        root.Subcommands.Add(SweepCommand.Create());
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(ExportObjectCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                error.WriteLine(problem.Message);
            }

            error.WriteLine("(see --help)");
            return UsageExitCode;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
