using System;
using System.Collections.Generic;
using EntryModel.Generators.Model;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// Where each section starts and how it is mapped: the model's <c>[Section]</c>s, else the defaults
/// (kernel text at the seed's 0xffffffff81000000, user text at 0x400000), else a fresh 1 MiB slot.
/// Permission bits are the runtime's SectionPermissions: 1 writable, 2 executable, 4 user.
/// </summary>
internal sealed class SectionMap
{
    public const int Writable = 1;
    public const int Executable = 2;
    public const int User = 4;

    private static readonly (string Name, ulong Address, int Permissions)[] Defaults =
    {
        (".text", 0xffffffff81000000UL, Executable),
        (".entry.text", 0xffffffff81800000UL, Executable),
        (".rodata", 0xffffffff81a00000UL, 0),
        (".data", 0xffffffff81c00000UL, Writable),
        (".bss", 0xffffffff81e00000UL, Writable),
        (".user.text", 0x400000UL, User | Executable),
        (".user.data", 0x600000UL, User | Writable),
    };

    private readonly Dictionary<string, (ulong Address, int Permissions)> sections = new Dictionary<string, (ulong, int)>(StringComparer.Ordinal);
    private ulong nextAuto = 0xffffffff82000000UL;

    public SectionMap(EquatableArray<SectionSource> declared)
    {
        foreach (var d in Defaults)
        {
            sections[d.Name] = (d.Address, d.Permissions);
        }

        foreach (var s in declared)
        {
            sections[s.Name] = (s.Address, s.Permissions);
        }
    }

    /// <summary>
    /// Also maps the sections the text named with flags (<c>.pushsection .noinstr.text, "ax"</c>) and
    /// the model does not declare: executable with <c>x</c> (so alignment pads with NOPs, as GNU as
    /// pads code), writable with <c>w</c>.
    /// </summary>
    public SectionMap(EquatableArray<SectionSource> declared, IReadOnlyDictionary<string, string> flags, bool below4GiB = false)
        : this(declared)
    {
        if (below4GiB)
        {
            // 32-bit code (as --32) is laid out where 32-bit addresses reach: the defaults' low halves.
            foreach (var name in new List<string>(sections.Keys))
            {
                var s = sections[name];
                sections[name] = (s.Address & 0xffffffffUL, s.Permissions);
            }

            nextAuto &= 0xffffffffUL;
        }

        foreach (var f in flags)
        {
            if (!sections.ContainsKey(f.Key))
            {
                int permissions = (f.Value.IndexOf('x') >= 0 ? Executable : 0) | (f.Value.IndexOf('w') >= 0 ? Writable : 0) | KindByName(f.Key);
                sections[f.Key] = (nextAuto, permissions);
                nextAuto += 0x100000;
            }
        }
    }

    /// <summary>Permissions ELF gives a section by its name alone: .text and .text.* code; .data, .bss and theirs writable.</summary>
    private static int KindByName(string name)
    {
        static bool Is(string name, string prefix) =>
            name.StartsWith(prefix, StringComparison.Ordinal) && (name.Length == prefix.Length || name[prefix.Length] == '.');

        return Is(name, ".text") ? Executable : Is(name, ".data") || Is(name, ".bss") ? Writable : 0;
    }

    public ulong Base(string name) => Get(name).Address;

    /// <summary>
    /// A debug section (<c>.debug_frame</c>, <c>.debug_*</c>): not allocated (no SHF_ALLOC in GNU as's
    /// object), so it has no address in the image; its fragments are placed from 0, at section offsets.
    /// </summary>
    public static bool IsUnallocated(string name) =>
        name.StartsWith(".debug", StringComparison.Ordinal) && (name.Length == 6 || name[6] == '_' || name[6] == '.');

    public int Permissions(string name) => Get(name).Permissions;

    private (ulong Address, int Permissions) Get(string name)
    {
        if (IsUnallocated(name))
        {
            return (0, 0);
        }

        if (!sections.TryGetValue(name, out var s))
        {
            // A section only named by .pushsection (e.g. a table of entry call sites): read-only data,
            // unless its name makes it code or writable data, as ELF's special section names do for GNU as.
            s = (nextAuto, KindByName(name));
            nextAuto += 0x100000;
            sections[name] = s;
        }

        return s;
    }
}
