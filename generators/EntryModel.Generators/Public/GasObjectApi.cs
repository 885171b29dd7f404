using System;
using System.Collections.Generic;
using System.Linq;
using EntryModel.Generators.Encoding;
using EntryModel.Generators.Model;
using EntryModel.Generators.Syntax;

namespace EntryModel.Generators.Public;

/// <summary>
/// Assembles a whole GAS file into a relocatable object, as GNU as does for x86-64 (or, as
/// <c>--32</c>, for i386), without Roslyn: the entry point for runtime tools (an ELF writer, the command line).
/// </summary>
public static class GasObjectApi
{
    // Where the file's text would sit in the model's kernel image; an object's values are section
    // offsets, so the address only matters to the assembler's provisional layout.
    private const ulong KernelText = 0xffffffff81000000UL;

    /// <summary>Assembles <paramref name="text"/> as 64-bit code; <paramref name="sourceName"/> names it in diagnostics.</summary>
    public static AssembledObjectFile Assemble(string text, string sourceName) => Assemble(text, sourceName, ObjectFileMachine.Amd64);

    /// <summary>Assembles <paramref name="text"/> for <paramref name="machine"/> (as <c>--64</c> or <c>--32</c>); <paramref name="sourceName"/> names it in diagnostics.</summary>
    public static AssembledObjectFile Assemble(string text, string sourceName, ObjectFileMachine machine)
    {
        if (text == null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        if (sourceName == null)
        {
            throw new ArgumentNullException(nameof(sourceName));
        }

        // The file is one code declaration, assembled under a strategy that defines nothing.
        var assembly = GasAssembler.AssembleFile(text, address: KernelText, machine: machine);
        var obj = assembly.Object;

        var lines = new LineMap(text);
        var diagnostics = assembly.Diagnostics
            .Select(d => new AssemblyDiagnostic(d.Id, d.Message, lines.Line(d.Offset), lines.Column(d.Offset), d.Offset, d.Length))
            .ToList();
        return ObjectFileMapping.From(sourceName, RelocatableObject.From(obj), diagnostics);
    }
}
