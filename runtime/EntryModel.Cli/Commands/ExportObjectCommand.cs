using System.CommandLine;
using EntryModel.Export;
using EntryModel.Generators.Public;

namespace EntryModel.Cli.Commands;

/// <summary>
/// <c>export-object &lt;file.s&gt; -o &lt;file.o&gt; [--32]</c>: assembles a whole GAS file as GNU as would
/// (<c>as --64</c>, or <c>as --32</c> for 32-bit code such as the kernel's -m32 vDSO) and writes the relocatable ELF object. Errors print as compilers print them,
/// <c>file:line:col: error EMxxxx: message</c>, and then no object is written.
/// </summary>
internal static class ExportObjectCommand
{
    /// <summary>Exit code when the file does not assemble (or cannot be read): no object is written.</summary>
    public const int ErrorExitCode = 1;

    public static Command Create()
    {
        var source = new Argument<FileInfo>("file.s") { Description = "A GAS file for x86-64, after the C preprocessor (e.g. kbuild's entry_64.s)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the ELF relocatable object.", Required = true };
        var i386 = new Option<bool>("--32") { Description = "32-bit code into an ELF32 i386 object, as GNU as --32 does (kbuild's -m32)." };
        var command = new Command("export-object", "Assemble a GAS file into an ELF64 x86-64 relocatable object, as GNU as --64 does (with --32: ELF32 i386, as --32).") { source, output, i386 };
        command.SetAction(parse => Invoke(parse, parse.GetRequiredValue(source), parse.GetRequiredValue(output), parse.GetValue(i386) ? ObjectFileMachine.I386 : ObjectFileMachine.Amd64));
        return command;
    }

    private static int Invoke(ParseResult parse, FileInfo source, FileInfo output, ObjectFileMachine machine)
    {
        var error = parse.InvocationConfiguration.Error;
        string text;
        try
        {
            text = File.ReadAllText(source.FullName);
        }
        catch (IOException ex)
        {
            error.WriteLine($"{source}: error: {ex.Message}");
            return ErrorExitCode;
        }
        catch (UnauthorizedAccessException ex)
        {
            error.WriteLine($"{source}: error: {ex.Message}");
            return ErrorExitCode;
        }

        // Named as the user named it, so the messages point where they looked.
        string name = source.ToString();
        var assembled = GasObjectApi.Assemble(text, name, machine);
        if (assembled.HasErrors)
        {
            foreach (var d in assembled.Diagnostics)
            {
                error.WriteLine(d.Format(name));
            }

            return ErrorExitCode;
        }

        ElfObjectWriter.WriteFile(assembled, output.FullName);
        return 0;
    }
}
