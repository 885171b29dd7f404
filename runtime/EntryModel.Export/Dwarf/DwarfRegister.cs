namespace EntryModel.Export.Dwarf;

/// <summary>x86-64's DWARF register numbers (System V psABI, table 3.36), and which of them each pt_regs field saves.</summary>
public static class DwarfRegister
{
    public const int Rax = 0;
    public const int Rdx = 1;
    public const int Rcx = 2;
    public const int Rbx = 3;
    public const int Rsi = 4;
    public const int Rdi = 5;
    public const int Rbp = 6;
    public const int Rsp = 7;
    public const int R8 = 8;
    public const int R9 = 9;
    public const int R10 = 10;
    public const int R11 = 11;
    public const int R12 = 12;
    public const int R13 = 13;
    public const int R14 = 14;
    public const int R15 = 15;

    /// <summary>The return address column: %rip in the caller.</summary>
    public const int ReturnAddress = 16;

    public const int Rflags = 49;
    public const int Cs = 51;
    public const int Ss = 52;

    /// <summary>
    /// The pt_regs fields (as the image's constants name their offsets) that hold a register the
    /// caller's frame gets back, with its DWARF number; RSP is the CFA itself and ORIG_RAX no register.
    /// </summary>
    public static IReadOnlyList<(string Field, int Register)> PtRegsFields { get; } =
    [
        ("R15", R15), ("R14", R14), ("R13", R13), ("R12", R12), ("RBP", Rbp), ("RBX", Rbx), ("R11", R11), ("R10", R10),
        ("R9", R9), ("R8", R8), ("RAX", Rax), ("RCX", Rcx), ("RDX", Rdx), ("RSI", Rsi), ("RDI", Rdi),
        ("RIP", ReturnAddress), ("CS", Cs), ("EFLAGS", Rflags), ("SS", Ss),
    ];

    /// <summary>The fields of the hardware's iret frame, which is all a partial-regs row promises.</summary>
    public static IReadOnlyList<string> IretFrameFields { get; } = ["RIP", "CS", "EFLAGS", "RSP", "SS"];
}
