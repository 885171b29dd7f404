using System.CommandLine;
using EntryModel.Cli.Commands;

namespace EntryModel.Cli;

/// <summary>
/// The command line: with no arguments it reproduces the seed's traces; <c>run</c>, <c>list</c> and
/// <c>disasm</c> reach everything else. Wiring only: the work happens in EntryModel.Scenarios.
/// </summary>
public static class EntryModelCli
{
    /// <summary>Exit code for a name that is not a scenario, strategy, symbol or list kind.</summary>
    public const int UnknownNameExitCode = 2;

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = new RootCommand("EntryModel: the seed's page-fault trace, before and after the pt_regs frame, from a modelled x86-64 machine.");
        root.SetAction(SeedCommand.Invoke);
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(DisasmCommand.Create());
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
