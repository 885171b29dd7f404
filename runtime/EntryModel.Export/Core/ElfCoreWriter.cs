using LibObjectFile.Diagnostics;
using LibObjectFile.Elf;

namespace EntryModel.Export.Core;

/// <summary>
/// Writes a <see cref="CoreDump"/> as an ELF64 x86-64 core file (ET_CORE), laid out as Linux's are:
/// a PT_NOTE first, holding one NT_PRSTATUS note named "CORE", then one PT_LOAD per run of memory at
/// its address with its permissions. <c>gdb image.elf state.core</c> reads the registers from the
/// note and the memory from the segments. The ELF encoding, notes included, is LibObjectFile's, which
/// holds notes in a section: unlike Linux's, the core has a section header table (<c>.note</c>,
/// <c>.shstrtab</c>), which bfd and gdb ignore for cores.
/// </summary>
public static class ElfCoreWriter
{
    /// <summary>The note name Linux gives its process-status notes.</summary>
    public const string NoteName = "CORE";

    public static void WriteFile(CoreDump core, string path)
    {
        using var buffer = new MemoryStream();
        Write(core, buffer);
        File.WriteAllBytes(path, buffer.ToArray());
    }

    public static void Write(CoreDump core, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(stream);

        var elf = new ElfFile(ElfArch.X86_64, addDefaultSections: true) { FileType = ElfFileType.Core };
        var notes = new ElfNoteTable { Name = ".note", VirtualAddressAlignment = 4, FileAlignment = 4 };
        notes.Entries.Add(new ElfCustomNote(NoteName, ElfNoteTypeEx.PRSTATUS)
        {
            Descriptor = new MemoryStream(PrStatus.Encode(core.Registers, core.Signal, core.Pid), writable: false),
        });
        elf.Add(notes);
        elf.Segments.Add(new ElfSegment { Type = ElfSegmentTypeCore.Note, Range = notes, VirtualAddressAlignment = 4 });

        foreach (var segment in core.Memory.OrderBy(s => s.Address))
        {
            var data = new ElfStreamContentData(new MemoryStream(segment.Bytes, writable: false)) { FileAlignment = 0x1000 };
            elf.Content.Add(data);
            var flags = ElfSegmentFlagsCore.Readable;
            flags |= segment.Writable ? ElfSegmentFlagsCore.Writable : ElfSegmentFlagsCore.None;
            flags |= segment.Executable ? ElfSegmentFlagsCore.Executable : ElfSegmentFlagsCore.None;
            elf.Segments.Add(new ElfSegment
            {
                Type = ElfSegmentTypeCore.Load,
                Range = data,
                VirtualAddress = segment.Address,
                SizeInMemory = (ulong)segment.Bytes.Length,
                Flags = flags,
                VirtualAddressAlignment = 0x1000,
            });
        }

        elf.Add(new ElfSectionHeaderStringTable { VirtualAddressAlignment = 1 });
        elf.Add(new ElfSectionHeaderTable());
        if (!elf.TryWrite(stream, out DiagnosticBag diagnostics))
        {
            throw new InvalidOperationException($"LibObjectFile refused the core file: {string.Join("; ", diagnostics.Messages)}");
        }
    }
}
