namespace EntryModel.Export.Dwarf;

/// <summary>One row of a line table: from <see cref="Address"/> on, the code is line <see cref="Line"/> of file <see cref="File"/> (1-based, as DWARF 4 counts them).</summary>
public readonly record struct DwarfLineRow(ulong Address, int File, int Line);

/// <summary>Rows over one contiguous run of code, ending at <see cref="End"/> (the first byte past it).</summary>
public sealed record DwarfLineSequence(IReadOnlyList<DwarfLineRow> Rows, ulong End);
