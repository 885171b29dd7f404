using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Oracles.Workloads;

/// <summary>
/// The %rbp chain walked by the host CPU, as a yardstick for the managed frame unwinder on this
/// noisy machine: a loop over a copy of a guest stack in host memory that makes, for each frame
/// record, the checks the managed unwinder's loop over plain records makes (the record aligned, at
/// or above the end of the last one, no higher than the stack allows; its return address in kernel
/// text) and writes each frame as the managed walk does, a 40-byte record laid out as
/// <c>UnwindFrame</c> (kind, return address, slot, regs, user mode, stack kind). It stops at the
/// first record that fails a check. A SysV function <c>long walk(long times)</c>: walks the stack
/// <c>times</c> times and returns the frames of the last walk.
/// </summary>
public static class NativeFrameWalkWorkload
{
    /// <summary>Bytes of one frame written (<c>UnwindFrame</c>'s size).</summary>
    public const int FrameBytes = 40;

    /// <summary>
    /// A walk: guest addresses plus <paramref name="HostMinusGuest"/> are where the copy holds
    /// them; it starts from the frame pointer <paramref name="Bp"/> with records allowed from
    /// <paramref name="Floor"/> to <paramref name="Upper"/> (the highest record address), takes
    /// return addresses in [<paramref name="TextStart"/>, +<paramref name="TextSize"/>), and writes at
    /// most <paramref name="MaxFrames"/> frames from <paramref name="Output"/>, each with
    /// <paramref name="FrameKind"/> and <paramref name="StackKind"/> as its first and last words.
    /// </summary>
    public readonly record struct Walk(ulong HostMinusGuest, ulong Bp, ulong Floor, ulong Upper, ulong TextStart, ulong TextSize, ulong Output, int MaxFrames, int FrameKind, int StackKind);

    /// <summary>The function's code, placed at <paramref name="address"/>.</summary>
    public static byte[] Build(in Walk walk, ulong address)
    {
        var a = new Assembler(64);
        var again = a.CreateLabel("again");
        var next = a.CreateLabel("next");
        var walked = a.CreateLabel("walked");
        var end = a.CreateLabel("end");
        var saved = new[] { rbx, rbp, r12, r13, r14, r15 };
        foreach (var r in saved)
        {
            a.push(r);
        }

        // rbx: walks left; r9: host minus guest; r10, r11: the text range; r12: the highest record; r13: the output.
        a.mov(rbx, rdi);
        a.mov(r9, walk.HostMinusGuest);
        a.mov(r10, walk.TextStart);
        a.mov(r11, walk.TextSize);
        a.mov(r12, walk.Upper);
        a.mov(r13, walk.Output);
        a.xor(eax, eax);
        a.test(rbx, rbx);
        a.jz(end);

        // rdi: the record (the frame pointer); rsi: the lowest record allowed; r14: the next frame; eax: frames.
        a.Label(ref again);
        a.mov(rdi, walk.Bp);
        a.mov(rsi, walk.Floor);
        a.mov(r14, r13);
        a.xor(eax, eax);

        a.Label(ref next);
        a.cmp(eax, walk.MaxFrames);
        a.jae(walked);
        a.test(dil, 7);
        a.jnz(walked);
        a.cmp(rdi, rsi);
        a.jb(walked);
        a.cmp(rdi, r12);
        a.ja(walked);
        a.mov(rdx, __qword_ptr[rdi + r9]);
        a.mov(rcx, __qword_ptr[rdi + r9 + 8]);
        a.mov(r8, rcx);
        a.sub(r8, r10);
        a.cmp(r8, r11);
        a.jae(walked);
        a.mov(__dword_ptr[r14], walk.FrameKind);
        a.mov(__qword_ptr[r14 + 8], rcx);
        a.lea(r8, __[rdi + 8]);
        a.mov(__qword_ptr[r14 + 16], r8);
        a.mov(__qword_ptr[r14 + 24], 0);
        a.mov(__byte_ptr[r14 + 32], 0);
        a.mov(__dword_ptr[r14 + 36], walk.StackKind);
        a.add(r14, FrameBytes);
        a.lea(rsi, __[rdi + 16]);
        a.mov(rdi, rdx);
        a.inc(eax);
        a.jmp(next);

        a.Label(ref walked);
        a.dec(rbx);
        a.jnz(again);

        a.Label(ref end);
        foreach (var r in saved.Reverse())
        {
            a.pop(r);
        }

        a.ret();

        using var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), address);
        return stream.ToArray();
    }
}
