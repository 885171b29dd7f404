namespace EntryModel.Machine.Cpu;

/// <summary>RFLAGS bits (SDM vol. 1, 3.4.3).</summary>
public static class RFlags
{
    public const ulong CF = 1UL << 0;
    public const ulong Reserved1 = 1UL << 1;
    public const ulong PF = 1UL << 2;
    public const ulong AF = 1UL << 4;
    public const ulong ZF = 1UL << 6;
    public const ulong SF = 1UL << 7;
    public const ulong TF = 1UL << 8;
    public const ulong IF = 1UL << 9;
    public const ulong DF = 1UL << 10;
    public const ulong OF = 1UL << 11;
    public const ulong IOPL = 3UL << 12;
    public const ulong NT = 1UL << 14;
    public const ulong RF = 1UL << 16;
    public const ulong VM = 1UL << 17;
    public const ulong AC = 1UL << 18;
    public const ulong VIF = 1UL << 19;
    public const ulong VIP = 1UL << 20;
    public const ulong ID = 1UL << 21;

    /// <summary>The six status flags arithmetic instructions write.</summary>
    public const ulong Arithmetic = CF | PF | AF | ZF | SF | OF;

    /// <summary>Bits POPFQ/IRETQ may change at CPL 0 (RF excepted: the model has no instruction breakpoints).</summary>
    public const ulong Modifiable = Arithmetic | TF | IF | DF | IOPL | NT | AC | VIF | VIP | ID;

    /// <summary>The mask SYSRETQ applies to R11 (SDM: R11 &amp; 3C7FD7H).</summary>
    public const ulong SysretMask = 0x3C7FD7;
}
