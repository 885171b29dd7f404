using System.Collections.Generic;
using System.Linq;

namespace EntryModel.Generators.Public;

/// <summary>
/// A GAS file assembled into a relocatable object: sections in the order the text first used
/// them, symbols, and the errors that kept it from being right (<see cref="HasErrors"/>; an
/// object with errors is not to be written).
/// </summary>
public sealed class AssembledObjectFile
{
    public AssembledObjectFile(string sourceName, IReadOnlyList<ObjectFileSection> sections, IReadOnlyList<ObjectFileSymbol> symbols, IReadOnlyList<AssemblyDiagnostic> diagnostics)
        : this(sourceName, sections, symbols, diagnostics, ObjectFileMachine.Amd64)
    {
    }

    public AssembledObjectFile(string sourceName, IReadOnlyList<ObjectFileSection> sections, IReadOnlyList<ObjectFileSymbol> symbols, IReadOnlyList<AssemblyDiagnostic> diagnostics, ObjectFileMachine machine)
    {
        Machine = machine;
        SourceName = sourceName;
        Sections = sections;
        Symbols = symbols;
        Diagnostics = diagnostics;
    }

    public string SourceName { get; }

    /// <summary>x86-64 (an ELF64 object with RELA relocations) or i386 (ELF32, REL: relocated fields hold their addends).</summary>
    public ObjectFileMachine Machine { get; }

    public IReadOnlyList<ObjectFileSection> Sections { get; }

    public IReadOnlyList<ObjectFileSymbol> Symbols { get; }

    public IReadOnlyList<AssemblyDiagnostic> Diagnostics { get; }

    /// <summary>Every assembler diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Count > 0;

    public ObjectFileSection? Section(string name) => Sections.FirstOrDefault(s => s.Name == name);
}
