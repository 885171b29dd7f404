using System.Globalization;

namespace EntryModel.Unwinding.Printing;

/// <summary>
/// Names the event a pt_regs frame belongs to ("page fault", "system call"), from the entry code
/// that called the handler: the IDT gate whose stub holds that return address, or the image's
/// syscall entry. Vector names are the SDM's (and Linux's for its system vectors).
/// </summary>
public sealed class EventBoundary
{
    private readonly KernelImage image;
    private readonly Symbol[] entries;

    public EventBoundary(KernelImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        this.image = image;
        entries = [.. image.Symbols.All.Where(s => s.Kind == SymbolKind.Entry).OrderBy(s => s.Address)];
    }

    /// <summary>The event whose entry code returned to <paramref name="entryReturnAddress"/> (0 when unknown), or "exception" when no gate or syscall entry holds it.</summary>
    public string Name(ulong entryReturnAddress)
    {
        ulong at = entryReturnAddress - 1;
        if (entryReturnAddress == 0 || Array.FindLast(entries, s => s.Address <= at) is not { Name: { } entry } entrySymbol)
        {
            return "exception";
        }

        if (entry == image.SyscallEntry)
        {
            return "system call";
        }

        var gates = image.Idt.Where(g => g.Stub == entry && g.Address <= at && at < entrySymbol.End).ToList();
        return gates.Count == 0 ? "exception" : VectorName(gates.MaxBy(g => g.Address).Vector);
    }

    /// <summary>
    /// The line a trace prints at an event: <c>page fault, RIP=copy_page_to_iter+0x70/0x440</c>, or
    /// <c>system call from user mode, RIP=0x400057</c>. One format for every printer of events.
    /// </summary>
    public static string Line(string name, ulong rip, bool userMode, SymbolTable symbols) => userMode
        ? string.Create(CultureInfo.InvariantCulture, $"{name} from user mode, RIP=0x{rip:x}")
        : $"{name}, RIP={BacktraceSymbolizer.FormatAddress(symbols, rip)}";

    public static string VectorName(int vector) => vector switch
    {
        0 => "divide error",
        1 => "debug",
        2 => "NMI",
        3 => "int3",
        4 => "overflow",
        5 => "bounds",
        6 => "invalid opcode",
        7 => "device not available",
        8 => "double fault",
        10 => "invalid TSS",
        11 => "segment not present",
        12 => "stack segment",
        13 => "general protection",
        14 => "page fault",
        16 => "coprocessor error",
        17 => "alignment check",
        18 => "machine check",
        19 => "SIMD exception",
        0xef => "apic timer interrupt",
        _ => string.Create(CultureInfo.InvariantCulture, $"interrupt 0x{vector:x}"),
    };
}
