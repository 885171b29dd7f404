using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Oracles.Workloads;

/// <summary>
/// A strategy's entry and exit, as a loop the host CPU runs in user mode: the hardware frame
/// simulated by pushes, orig_ax, the general registers saved in pt_regs order (PUSH_REGS), the
/// strategy's frame (<see cref="EntryFrameKind"/>), the call of a handler that keeps a frame pointer
/// with pt_regs in %rdi, the frame removed, the registers restored (POP_REGS) and the frame dropped.
/// The frame instructions are the default model's own (tests hold them against the images' bytes).
/// A SysV function: <c>void run(long iterations)</c>, callee-saved registers kept.
/// </summary>
public static class NativeEntryWorkload
{
    /// <summary>PUSH_REGS's order (pt_regs from its top down); POP_REGS pops in reverse.</summary>
    public static IReadOnlyList<AssemblerRegister64> PushOrder { get; } = [rdi, rsi, rdx, rcx, rax, r8, r9, r10, r11, rbx, rbp, r12, r13, r14, r15];

    /// <summary>The instructions that make the strategy's frame before the call (CREATE_PT_REGS_FRAME with regs=%rsp).</summary>
    public static void CreateFrame(Assembler a, EntryFrameKind kind, uint ptRegsPlusOne)
    {
        ArgumentNullException.ThrowIfNull(a);
        switch (kind)
        {
            case EntryFrameKind.PtRegsFrame:
                a.push(rsp);
                a.push(unchecked((int)ptRegsPlusOne));
                a.push(rbp);
                a.mov(rbp, rsp);
                break;
            case EntryFrameKind.EncodedRbp:
                a.lea(rbp, __[rsp + 1]);
                break;
        }
    }

    /// <summary>The instructions that drop it after the call (REMOVE_PT_REGS_FRAME).</summary>
    public static void RemoveFrame(Assembler a, EntryFrameKind kind)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (kind == EntryFrameKind.PtRegsFrame)
        {
            a.pop(rbp);
            a.add(rsp, 16);
        }
    }

    /// <summary>The loop's code, placed at <paramref name="address"/>.</summary>
    public static byte[] Build(EntryFrameKind kind, ulong address, uint ptRegsPlusOne = 0x8188_7861)
    {
        var a = new Assembler(64);
        var loop = a.CreateLabel("entry");
        var handler = a.CreateLabel("handler");
        var done = a.CreateLabel("done");

        // Prologue: keep the caller's callee-saved registers; %r12 counts the iterations.
        foreach (var r in new[] { rbx, rbp, r12, r13, r14, r15 })
        {
            a.push(r);
        }

        a.mov(r12, rdi);
        a.test(r12, r12);
        a.jz(done);

        a.Label(ref loop);
        a.push(0x2b);   // SS
        a.push(rsp);    // RSP
        a.pushfq();     // RFLAGS
        a.push(0x33);   // CS
        a.push(0);      // RIP
        a.push(-1);     // orig_ax
        foreach (var r in PushOrder)
        {
            a.push(r);
        }

        a.mov(rdi, rsp);
        CreateFrame(a, kind, ptRegsPlusOne);
        a.call(handler);
        RemoveFrame(a, kind);
        foreach (var r in PushOrder.Reverse())
        {
            a.pop(r);
        }

        a.add(rsp, 6 * 8);
        a.dec(r12);
        a.jnz(loop);

        a.Label(ref done);
        foreach (var r in new[] { r15, r14, r13, r12, rbp, rbx })
        {
            a.pop(r);
        }

        a.ret();

        // A C handler with a frame pointer that reads pt_regs.
        a.Label(ref handler);
        a.push(rbp);
        a.mov(rbp, rsp);
        a.mov(rax, __qword_ptr[rdi + 0x78]);
        a.pop(rbp);
        a.ret();

        using var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), address);
        return stream.ToArray();
    }
}
