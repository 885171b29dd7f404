namespace EntryModel.Kernel;

public static partial class DefaultKernel
{
    /// <summary>
    /// struct pt_regs, in the kernel's field order: lowest address first, so the hardware frame
    /// (ip, cs, flags, sp, ss) ends it and the general registers the entry code pushes begin it.
    /// </summary>
    [GasMacros]
    public const string PtRegsOffsets = """
        .set R15, 0*8
        .set R14, 1*8
        .set R13, 2*8
        .set R12, 3*8
        .set RBP, 4*8
        .set RBX, 5*8
        .set R11, 6*8
        .set R10, 7*8
        .set R9, 8*8
        .set R8, 9*8
        .set RAX, 10*8
        .set RCX, 11*8
        .set RDX, 12*8
        .set RSI, 13*8
        .set RDI, 14*8
        .set ORIG_RAX, 15*8
        .set RIP, 16*8
        .set CS, 17*8
        .set EFLAGS, 18*8
        .set RSP, 19*8
        .set SS, 20*8
        .set SIZEOF_PTREGS, 21*8
        """;
}
