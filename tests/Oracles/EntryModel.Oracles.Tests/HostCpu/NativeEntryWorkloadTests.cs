using EntryModel.Kernel;
using EntryModel.Oracles.HostCpu;
using EntryModel.Oracles.Workloads;
using Iced.Intel;

namespace EntryModel.Oracles.Tests.HostCpu;

/// <summary>
/// The native entry loop the entry-cost benchmark times. Oracles: the default model's images (whose
/// bytes GNU as confirms) for the frame instructions, and the host CPU for running the loop.
/// </summary>
public class NativeEntryWorkloadTests
{
    [TestCase(EntryFrameKind.PtRegsFrame, "pt-regs-frame")]
    [TestCase(EntryFrameKind.EncodedRbp, "encoded-rbp")]
    public void The_frame_instructions_are_the_ones_the_model_assembles(EntryFrameKind kind, string strategy)
    {
        var image = DefaultKernel.Images.Single(i => i.Strategy == strategy);
        uint ptRegsPlusOne = kind == EntryFrameKind.PtRegsFrame ? unchecked((uint)(image.Symbols["pt_regs"].Address + 1)) : 0;
        byte[] create = Encode(a => NativeEntryWorkload.CreateFrame(a, kind, ptRegsPlusOne));
        byte[] remove = Encode(a => NativeEntryWorkload.RemoveFrame(a, kind));

        // The syscall fast path makes the frame right before its table call and drops it right after.
        var fastpath = image.Symbols["entry_SYSCALL_64_fastpath"];
        var chunk = image.Chunks.Single(c => c.Address <= fastpath.Address && fastpath.Address < c.Address + (ulong)c.Bytes.Length);
        var code = chunk.Bytes.AsSpan((int)(fastpath.Address - chunk.Address));
        byte[] call = [0xff, 0x14, 0xc5]; // call *sys_call_table(,%rax,8)
        int at = code.IndexOf(call);
        Assert.That(at, Is.Positive);
        Assert.That(code[(at - create.Length)..at].ToArray(), Is.EqualTo(create), "CREATE_PT_REGS_FRAME");
        Assert.That(code.Slice(at + 7, remove.Length).ToArray(), Is.EqualTo(remove), "REMOVE_PT_REGS_FRAME (ENTRY_REGS_RECORD between them emits no code)");
    }

    [TestCase(EntryFrameKind.None)]
    [TestCase(EntryFrameKind.PtRegsFrame)]
    [TestCase(EntryFrameKind.EncodedRbp)]
    public void The_loop_runs_on_the_host_cpu_and_returns(EntryFrameKind kind)
    {
        const ulong address = 0x5100_0000;
        using var code = new NativeCode(address, NativeEntryWorkload.Build(kind, address));

        Assert.DoesNotThrow(() => code.Call(10_000));
        Assert.DoesNotThrow(() => code.Call(0));
    }

    private static byte[] Encode(Action<Assembler> emit)
    {
        var a = new Assembler(64);
        emit(a);
        if (a.Instructions.Count == 0)
        {
            return [];
        }

        using var stream = new MemoryStream();
        a.Assemble(new StreamCodeWriter(stream), 0);
        return stream.ToArray();
    }
}
