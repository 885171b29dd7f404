namespace EntryModel.Machine.Decoding;

/// <summary>Where a decoded operand lives.</summary>
internal enum OperandKind : byte
{
    None = 0,
    Register,
    Memory,
    Immediate,
}
