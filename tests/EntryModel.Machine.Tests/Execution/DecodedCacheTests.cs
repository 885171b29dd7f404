using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tests.Support;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Execution;

public class DecodedCacheTests
{
    [Test]
    public void Each_instruction_is_decoded_once_across_a_loop()
    {
        var rig = new Rig();
        rig.Load(Rig.KernelCode, a =>
        {
            var l = a.CreateLabel();
            a.mov(ecx, 1000);
            a.Label(ref l);
            a.add(rax, rcx);
            a.dec(ecx);
            a.jnz(l);
            a.hlt();
        });
        rig.Cpu.Rip = Rig.KernelCode;
        rig.Machine.Run();
        Assert.That(rig.Machine.DecodedInstructionCount, Is.EqualTo(5));
        Assert.That(rig[Gpr.Rax], Is.EqualTo(500500UL));
    }

    [Test]
    public void Self_modifying_code_is_re_decoded()
    {
        var rig = new Rig();
        const ulong target = Rig.KernelCode + 0x800;
        rig.Memory.Map(Rig.KernelCode, 0x1000, PagePermissions.Executable | PagePermissions.Writable);
        rig.Load(target, a => { a.mov(eax, 1); a.ret(); });
        rig.Load(Rig.KernelCode, a =>
        {
            a.mov(rbx, target);
            a.call(rbx);                            // executes mov eax,1 (decoded and cached)
            a.mov(r8, rax);
            a.mov(__byte_ptr[rbx + 1], 2);          // patch the immediate: mov eax,2
            a.call(rbx);
            a.hlt();
        });
        rig.Cpu.Rip = Rig.KernelCode;
        var stop = rig.Machine.Run();
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Halted));
        Assert.That((rig[Gpr.R8], rig[Gpr.Rax]), Is.EqualTo((1UL, 2UL)));
    }

    [Test]
    public void Host_writes_to_code_invalidate_the_cache_too()
    {
        var rig = new Rig();
        rig.Load(Rig.KernelCode, a => { a.mov(eax, 1); a.hlt(); });
        rig.Cpu.Rip = Rig.KernelCode;
        rig.Machine.Run();
        rig.Memory.Write(Rig.KernelCode + 1, [7]);
        rig.Cpu.Rip = Rig.KernelCode;
        rig.Machine.Run();
        Assert.That(rig[Gpr.Rax], Is.EqualTo(7UL));
    }

    [Test]
    public void Restoring_a_snapshot_with_older_code_runs_the_older_code()
    {
        var rig = new Rig();
        rig.Load(Rig.KernelCode, a => { a.mov(eax, 1); a.hlt(); });
        rig.Cpu.Rip = Rig.KernelCode;
        var snap = rig.Machine.Snapshot();
        rig.Machine.Run();
        rig.Memory.Write(Rig.KernelCode + 1, [9]);
        rig.Machine.Restore(snap);
        rig.Machine.Run();
        Assert.That(rig[Gpr.Rax], Is.EqualTo(1UL));
    }
}
