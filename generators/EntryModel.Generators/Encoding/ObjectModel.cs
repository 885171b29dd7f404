using EntryModel.Generators.Model;

namespace EntryModel.Generators.Encoding;

/// <summary>
/// One declaration assembled under one strategy, as a relocatable object: its fragments' bytes at
/// provisional addresses, its labels, and the fixups the linker applies once every fragment has its
/// final address. Values, so the pipeline caches objects per declaration and strategy.
/// </summary>
internal sealed record DeclarationObject(
    int Declaration,
    EquatableArray<ObjectFragment> Fragments,
    EquatableArray<ObjectSymbol> Symbols,
    EquatableArray<ObjectFixup> Fixups,
    EquatableArray<AsmDiagnostic> Diagnostics)
{
    /// <summary>What it was assembled for (as <c>--64</c> or <c>--32</c>): the ELF class and relocation types it becomes.</summary>
    public Public.ObjectFileMachine Machine { get; init; }
}

/// <summary>
/// The bytes one declaration puts in one section. <see cref="ProvisionalAddress"/> is where they
/// were encoded; a fixed fragment stays there, others move (keeping <see cref="Align"/>).
/// <see cref="Permissions"/> are the section's (SectionMap's bits: writable, executable, user);
/// <see cref="Mergeable"/> says its flags had "M" (GNU as keeps symbols in relocations into it).
/// <see cref="Flags"/> are the section's flags as its first <c>.section</c> with flags wrote them
/// (null when none did): an ELF writer decides SHF_ALLOC, SHF_MERGE and SHF_STRINGS from them.
/// </summary>
internal sealed record ObjectFragment(
    string Section,
    bool IsMain,
    bool IsFixed,
    int Align,
    ulong ProvisionalAddress,
    EquatableArray<byte> Bytes,
    EquatableArray<ObjectLine> Lines,
    int Permissions = 0,
    bool Mergeable = false,
    string? Flags = null,
    string? ElfType = null,
    long EntrySize = 0);

/// <summary>A line-map entry at an offset of its fragment, with its statement's span in the declaration.</summary>
internal sealed record ObjectLine(long Offset, int Length, int Declaration, int Line, string Text, string MacroStack, int SourceOffset = -1, int SourceLength = 0);

/// <summary>
/// A label (<see cref="Fragment"/> &gt;= 0, at <see cref="Offset"/>) or an absolute constant
/// (<see cref="Fragment"/> = -1, value in <see cref="Offset"/>) the object defines. Kind is the
/// runtime's SymbolKind; <see cref="Visible"/> ones go to the image's symbol table. What an ELF
/// object records of it as GNU as writes it: <see cref="Binding"/> (<c>.globl</c>, <c>.weak</c>),
/// and the type and size only when <c>.type</c>/<c>.size</c> gave them (<see cref="ElfType"/>,
/// <see cref="ElfSize"/>; the image's kind and size fill gaps, an object's do not).
/// </summary>
internal sealed record ObjectSymbol(
    string Name,
    int Fragment,
    long Offset,
    long Size,
    int Kind,
    bool Visible,
    int SourceDeclaration,
    int SourceOffset,
    int SourceLength,
    SymbolBinding Binding = SymbolBinding.Local,
    int ElfType = -1,
    long? ElfSize = null);

/// <summary>An ELF symbol binding, as <c>.globl</c> and <c>.weak</c> set it.</summary>
internal enum SymbolBinding
{
    Local,
    Global,
    Weak,
}

/// <summary>
/// A field the linker fills: <see cref="Size"/> bytes at <see cref="Offset"/> of fragment
/// <see cref="Fragment"/> get symbol + addend (minus the address of <see cref="PcEnd"/> in the
/// fragment when PC-relative). Kind is the runtime's RelocationKind, which also says the range.
/// Source* say where a failure is reported. <see cref="IsBranch"/>: a call or jump target.
/// </summary>
internal sealed record ObjectFixup(
    int Fragment,
    long Offset,
    int Size,
    int Kind,
    bool PcRelative,
    long PcEnd,
    string Symbol,
    long Addend,
    int SourceDeclaration,
    int SourceOffset,
    int SourceLength,
    bool IsBranch = false)
{
    /// <summary>The addend as an ELF relocation states it: S + A, or S + A - P with P the field's place.</summary>
    public long ElfAddend => PcRelative ? Addend - (PcEnd - Offset) : Addend;
}
