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
    EquatableArray<AsmDiagnostic> Diagnostics);

/// <summary>
/// The bytes one declaration puts in one section. <see cref="ProvisionalAddress"/> is where they
/// were encoded; a fixed fragment stays there, others move (keeping <see cref="Align"/>).
/// </summary>
internal sealed record ObjectFragment(
    string Section,
    bool IsMain,
    bool IsFixed,
    int Align,
    ulong ProvisionalAddress,
    EquatableArray<byte> Bytes,
    EquatableArray<ObjectLine> Lines);

/// <summary>A line-map entry at an offset of its fragment, with its statement's span in the declaration.</summary>
internal sealed record ObjectLine(long Offset, int Length, int Declaration, int Line, string Text, string MacroStack, int SourceOffset = -1, int SourceLength = 0);

/// <summary>
/// A label (<see cref="Fragment"/> &gt;= 0, at <see cref="Offset"/>) or an absolute constant
/// (<see cref="Fragment"/> = -1, value in <see cref="Offset"/>) the object defines. Kind is the
/// runtime's SymbolKind; <see cref="Visible"/> ones go to the image's symbol table.
/// </summary>
internal sealed record ObjectSymbol(string Name, int Fragment, long Offset, long Size, int Kind, bool Visible, int SourceDeclaration, int SourceOffset, int SourceLength);

/// <summary>
/// A field the linker fills: <see cref="Size"/> bytes at <see cref="Offset"/> of fragment
/// <see cref="Fragment"/> get symbol + addend (minus the address of <see cref="PcEnd"/> in the
/// fragment when PC-relative). Kind is the runtime's RelocationKind, which also says the range.
/// Source* say where a failure is reported.
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
    int SourceLength);
