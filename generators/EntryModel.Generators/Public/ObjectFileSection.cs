using System.Collections.Generic;

namespace EntryModel.Generators.Public;

/// <summary>
/// A section of an assembled object: its bytes (relocated fields hold 0, as in a RELA object),
/// alignment, whether it is writable or executable, its <c>.section</c> flags as the text wrote
/// them (null when none did: the name then decides, as GNU as's special sections do), and its
/// relocations in offset order.
/// </summary>
public sealed class ObjectFileSection
{
    public ObjectFileSection(string name, int alignment, bool writable, bool executable, string? flags, IReadOnlyList<byte> bytes, IReadOnlyList<ObjectFileRelocation> relocations)
    {
        Name = name;
        Alignment = alignment;
        Writable = writable;
        Executable = executable;
        Flags = flags;
        Bytes = bytes;
        Relocations = relocations;
    }

    public string Name { get; }

    public int Alignment { get; }

    public bool Writable { get; }

    public bool Executable { get; }

    public string? Flags { get; }

    public IReadOnlyList<byte> Bytes { get; }

    public IReadOnlyList<ObjectFileRelocation> Relocations { get; }
}
