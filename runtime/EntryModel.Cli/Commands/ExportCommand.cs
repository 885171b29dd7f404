using System.CommandLine;
using EntryModel.Export;

namespace EntryModel.Cli.Commands;

/// <summary>
/// <c>export [--strategy &lt;name&gt;] -o &lt;image.elf&gt;</c>: writes a strategy's linked image as a
/// vmlinux-like ELF64 executable that readelf, objdump, addr2line and gdb open.
/// </summary>
internal static class ExportCommand
{
    /// <summary>Exit code when the file cannot be written.</summary>
    public const int ErrorExitCode = 1;

    public static Command Create()
    {
        var strategy = StrategyOption.Create(defaultValue: "none");
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the ELF image.", Required = true };
        var command = new Command("export", "Write a strategy's image as a vmlinux-like ELF64 x86-64 executable (sections at the image's addresses, symbols, ORC tables and their .eh_frame, DWARF lines to the C# source).") { strategy, output };
        command.SetAction(parse => Invoke(parse, parse.GetValue(strategy)!, parse.GetRequiredValue(output)));
        return command;
    }

    private static int Invoke(ParseResult parse, string strategyName, FileInfo output)
    {
        if (!StrategyOption.TryResolve(parse, strategyName, out var image))
        {
            return EntryModelCli.UsageExitCode;
        }

        try
        {
            ElfImageWriter.WriteFile(image, output.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"{output}: error: {ex.Message}");
            return ErrorExitCode;
        }

        return 0;
    }
}
