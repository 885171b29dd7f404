namespace EntryModel.Machine.Decoding;

/// <summary>Per-instruction facts the handlers need besides the operands.</summary>
[Flags]
internal enum DecodedFlags : byte
{
    None = 0,

    /// <summary>The memory operand is addressed through RSP or RBP: a non-canonical address raises #SS, not #GP.</summary>
    StackSegment = 1,

    /// <summary>A REP prefix (string instructions).</summary>
    Rep = 2,

    /// <summary>Writes RSP other than by push/pop/call/ret: ground truth watches for stack switches.</summary>
    WritesRsp = 4,

    /// <summary>The memory operand uses a 32-bit address size (0x67 prefix).</summary>
    Address32 = 8,

    /// <summary>A REPNE prefix (CMPS/SCAS stop when ZF=1).</summary>
    RepNe = 16,
}
