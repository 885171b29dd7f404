using System.Collections.Generic;

namespace EntryModel.Generators.Public;

/// <summary>
/// A section of an assembled object: its bytes (relocated fields hold 0 in a RELA object, their addends in an i386 REL one),
/// alignment, whether it is writable or executable, its <c>.section</c> flags as the text wrote
/// them (null when none did: the name then decides, as GNU as's special sections do), and its
/// relocations in offset order.
/// </summary>
public sealed class ObjectFileSection
{
    public ObjectFileSection(string name, int alignment, bool writable, bool executable, string? flags, IReadOnlyList<byte> bytes, IReadOnlyList<ObjectFileRelocation> relocations, string? type = null, long entrySize = 0)
    {
        Type = type;
        EntrySize = entrySize;
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

    /// <summary>The ELF type the <c>.section</c> directive named (<c>progbits</c>, <c>nobits</c>, <c>note</c>, ...), or null.</summary>
    public string? Type { get; }

    /// <summary>The entry size the <c>.section</c> directive gave (a mergeable section's), or 0.</summary>
    public long EntrySize { get; }

    public IReadOnlyList<byte> Bytes { get; }

    public IReadOnlyList<ObjectFileRelocation> Relocations { get; }
}
