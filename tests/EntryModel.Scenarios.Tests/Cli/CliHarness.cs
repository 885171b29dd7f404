using EntryModel.Cli;

namespace EntryModel.Scenarios.Tests.Cli;

/// <summary>Runs the command line in-process and captures what it writes.</summary>
internal static class CliHarness
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = EntryModelCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
