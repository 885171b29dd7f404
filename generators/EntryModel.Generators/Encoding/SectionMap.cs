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

    public ulong Base(string name) => Get(name).Address;

    public int Permissions(string name) => Get(name).Permissions;

    private (ulong Address, int Permissions) Get(string name)
    {
        if (!sections.TryGetValue(name, out var s))
        {
            // A section only named by .pushsection (e.g. a table of entry call sites): read-only data.
            s = (nextAuto, 0);
            nextAuto += 0x100000;
            sections[name] = s;
        }

        return s;
    }
}
