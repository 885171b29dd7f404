using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;

namespace EntryModel.Export.Core;

/// <summary>
/// A core dump of the modelled machine: the registers of a stopped context as user_regs_struct
/// holds them (segment registers other than CS and SS are 0: the model keeps no DS/ES/FS/GS
/// selectors), and every mapped page, adjacent pages with the same permissions joined into one
/// PT_LOAD. The stop is reported as SIGTRAP, as a breakpoint stop is.
/// </summary>
public static class MachineCore
{
    public const int Sigtrap = 5;

    /// <summary>The pid the one thread of the core carries (the model has no pids).</summary>
    public const int Pid = 1;

    /// <summary>The core of <paramref name="machine"/> with the context <paramref name="cpu"/> (its own CPU when stopped there, or one saved when it stopped).</summary>
    public static CoreDump Of(X86Machine machine, in CpuState cpu)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return new CoreDump(Registers(cpu), Sigtrap, Pid, Memory(machine.Memory));
    }

    public static UserRegisters Registers(in CpuState cpu) => new()
    {
        R15 = cpu[Gpr.R15],
        R14 = cpu[Gpr.R14],
        R13 = cpu[Gpr.R13],
        R12 = cpu[Gpr.R12],
        Rbp = cpu[Gpr.Rbp],
        Rbx = cpu[Gpr.Rbx],
        R11 = cpu[Gpr.R11],
        R10 = cpu[Gpr.R10],
        R9 = cpu[Gpr.R9],
        R8 = cpu[Gpr.R8],
        Rax = cpu[Gpr.Rax],
        Rcx = cpu[Gpr.Rcx],
        Rdx = cpu[Gpr.Rdx],
        Rsi = cpu[Gpr.Rsi],
        Rdi = cpu[Gpr.Rdi],
        Rip = cpu.Rip,
        Cs = cpu.Cs,
        Eflags = cpu.Rflags,
        Rsp = cpu[Gpr.Rsp],
        Ss = cpu.Ss,
        FsBase = cpu.FsBase,
        GsBase = cpu.GsBase,
    };

    private static List<CoreSegment> Memory(GuestMemory memory)
    {
        var segments = new List<CoreSegment>();
        var run = new List<byte>();
        ulong start = 0;
        ulong next = 0;
        PagePermissions permissions = PagePermissions.None;
        var page = new byte[GuestMemory.PageSize];
        foreach (var (address, pagePermissions) in memory.EnumerateMappedPages())
        {
            if (run.Count > 0 && (address != next || pagePermissions != permissions))
            {
                segments.Add(Segment(start, run, permissions));
                run.Clear();
            }

            if (run.Count == 0)
            {
                start = address;
                permissions = pagePermissions;
            }

            if (!memory.TryRead(address, page))
            {
                throw new InvalidOperationException($"mapped page 0x{address:x} cannot be read");
            }

            run.AddRange(page);
            next = address + GuestMemory.PageSize;
        }

        if (run.Count > 0)
        {
            segments.Add(Segment(start, run, permissions));
        }

        return segments;
    }

    private static CoreSegment Segment(ulong start, List<byte> bytes, PagePermissions permissions) =>
        new(start, [.. bytes], permissions.HasFlag(PagePermissions.Writable), permissions.HasFlag(PagePermissions.Executable));
}
