using EntryModel.Generators.Public;
using LibObjectFile.Elf;

namespace EntryModel.Export;

/// <summary>A section's ELF header fields as GNU as chooses them: sh_type, sh_flags and sh_entsize.</summary>
internal readonly record struct SectionAttributes(ElfSectionType Type, ElfSectionFlags Flags, ulong EntrySize);

/// <summary>
/// Decides a section's type, flags and entry size the way GNU as does on x86-64: a special
/// name (BFD's table: .text, .data, .bss, .rodata, .note, .init_array ... and their dotted
/// variants) gives its type and flags; the <c>.section</c> flags letters add theirs. A section
/// neither names is PROGBITS with no flags (not allocated: GNU as's <c>.discard.*</c>).
/// </summary>
internal static class GnuSectionAttributes
{
    // SHF_GNU_RETAIN ("R") and SHF_EXCLUDE ("e"): flags LibObjectFile has no names for.
    private const ElfSectionFlags Retain = (ElfSectionFlags)0x200000;
    private const ElfSectionFlags Exclude = (ElfSectionFlags)0x80000000;

    private const ElfSectionFlags Alloc = ElfSectionFlags.Alloc;
    private const ElfSectionFlags Write = ElfSectionFlags.Write;
    private const ElfSectionFlags Code = ElfSectionFlags.Alloc | ElfSectionFlags.Executable;
    private const ElfSectionFlags Data = ElfSectionFlags.Alloc | ElfSectionFlags.Write;

    /// <summary>The attributes of <paramref name="section"/> in an object whose addresses are <paramref name="pointerSize"/> bytes (8, or 4 for i386).</summary>
    public static SectionAttributes Of(ObjectFileSection section, uint pointerSize)
    {
        var (type, flags, entrySize) = Special(section.Name, pointerSize);
        flags |= Letters(section.Flags);

        // What the directive itself says wins over the name: ".section .rodata.cst8, "aM", @progbits, 8".
        type = section.Type switch
        {
            "progbits" => ElfSectionType.ProgBits,
            "nobits" => ElfSectionType.NoBits,
            "note" => ElfSectionType.Note,
            "init_array" => ElfSectionType.InitArray,
            "fini_array" => ElfSectionType.FiniArray,
            "preinit_array" => ElfSectionType.PreInitArray,
            _ => type,
        };
        if (section.EntrySize > 0)
        {
            entrySize = (ulong)section.EntrySize;
        }

        // Not the model's permissions: its default sections (.entry.text, .user.text) are code
        // by the model's choice, where GNU as would see an unknown name with no flags.
        if ((flags & ElfSectionFlags.Merge) != 0 && entrySize == 0)
        {
            // GNU as takes the entry size from the directive (",1"); the model keeps only the flags,
            // and a string section's entries are bytes. Other mergeable sections: see README.
            entrySize = 1;
        }

        return new SectionAttributes(type, flags, entrySize);
    }

    /// <summary>BFD's special sections GNU as consults by name: exact, or the name and a dot and more.</summary>
    private static (ElfSectionType Type, ElfSectionFlags Flags, ulong EntrySize) Special(string name, uint pointerSize) => name switch
    {
        _ when Named(name, ".text") || name is ".init" or ".fini" => (ElfSectionType.ProgBits, Code, 0),
        _ when Named(name, ".data") || name == ".data1" => (ElfSectionType.ProgBits, Data, 0),
        _ when Named(name, ".bss") => (ElfSectionType.NoBits, Data, 0),
        _ when Named(name, ".rodata") || name == ".rodata1" => (ElfSectionType.ProgBits, Alloc, 0),
        _ when Named(name, ".tdata") => (ElfSectionType.ProgBits, Data | ElfSectionFlags.Tls, 0),
        _ when Named(name, ".tbss") => (ElfSectionType.NoBits, Data | ElfSectionFlags.Tls, 0),
        _ when Named(name, ".init_array") => (ElfSectionType.InitArray, Data, pointerSize),
        _ when Named(name, ".fini_array") => (ElfSectionType.FiniArray, Data, pointerSize),
        _ when Named(name, ".preinit_array") => (ElfSectionType.PreInitArray, Data, pointerSize),
        // (The arrays hold pointers: entries of 8 bytes, 4 in an i386 object.)
        // Any ".note" prefix, dotted or not (BFD matches it as a bare prefix).
        _ when name.StartsWith(".note", StringComparison.Ordinal) => (ElfSectionType.Note, 0, 0),
        _ => (ElfSectionType.ProgBits, 0, 0),
    };

    private static bool Named(string name, string special) =>
        name.StartsWith(special, StringComparison.Ordinal) && (name.Length == special.Length || name[special.Length] == '.');

    /// <summary>The flags letters of <c>.section name, "flags"</c>.</summary>
    private static ElfSectionFlags Letters(string? letters)
    {
        ElfSectionFlags flags = 0;
        foreach (char c in letters ?? string.Empty)
        {
            flags |= c switch
            {
                'a' => Alloc,
                'w' => Write,
                'x' => ElfSectionFlags.Executable,
                'M' => ElfSectionFlags.Merge,
                'S' => ElfSectionFlags.Strings,
                'G' => ElfSectionFlags.Group,
                'T' => ElfSectionFlags.Tls,
                'o' => ElfSectionFlags.LinkOrder,
                'R' => Retain,
                'e' => Exclude,
                _ => 0,
            };
        }

        return flags;
    }
}
