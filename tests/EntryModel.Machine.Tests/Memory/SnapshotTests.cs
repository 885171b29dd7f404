using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tests.Support;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Memory;

public class SnapshotTests
{
    [Test]
    public void Restore_brings_back_registers_memory_and_mappings()
    {
        var rig = new Rig();
        rig.Load(Rig.KernelCode, a =>
        {
            a.mov(rbx, Rig.KernelData);
            a.mov(__qword_ptr[rbx], rbx);
            a.add(rax, 5);
            a.push(rax);
            a.hlt();
        });
        rig.Cpu.Rip = Rig.KernelCode;
        rig.Memory.WriteUInt64(Rig.KernelData, 1);
        var snap = rig.Machine.Snapshot();

        rig.Machine.Run();
        rig.Memory.Map(0x900000, 0x1000, PagePermissions.Writable);
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData), Is.EqualTo(Rig.KernelData));

        rig.Machine.Restore(snap);
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData), Is.EqualTo(1UL));
        Assert.That(rig.Cpu.Rip, Is.EqualTo(Rig.KernelCode));
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0UL));
        Assert.That(rig.Memory.IsMapped(0x900000), Is.False);
        Assert.That(rig.Memory.ReadUInt64(rig.KernelStack.Top - 8), Is.EqualTo(0UL));

        rig.Machine.Run();
        Assert.That(rig[Gpr.Rax], Is.EqualTo(5UL), "the snapshot runs again the same way");
        rig.Machine.Restore(snap);
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData), Is.EqualTo(1UL), "a snapshot can be restored twice");
    }

    [Test]
    public void Snapshot_per_instruction_boundary_and_restore_each()
    {
        var rig = new Rig();
        rig.Load(Rig.KernelCode, a =>
        {
            a.mov(rbx, Rig.KernelData);
            for (int i = 0; i < 20; i++)
            {
                a.mov(__qword_ptr[rbx + (i * 8)], rsp);
                a.push(rbx);
            }

            a.hlt();
        });
        rig.Cpu.Rip = Rig.KernelCode;
        var snaps = new List<(MachineSnapshot Snap, ulong Rsp, ulong Word)>();
        while (rig.Machine.Step().Kind == StopKind.InstructionCount)
        {
            snaps.Add((rig.Machine.Snapshot(), rig[Gpr.Rsp], rig.Memory.ReadUInt64(Rig.KernelData + 0x50)));
        }

        foreach (var (snap, rsp, word) in snaps.AsEnumerable().Reverse())
        {
            rig.Machine.Restore(snap);
            Assert.That(rig[Gpr.Rsp], Is.EqualTo(rsp));
            Assert.That(rig.Memory.ReadUInt64(Rig.KernelData + 0x50), Is.EqualTo(word));
        }
    }

    [Test]
    public void Pending_interrupts_and_retired_count_are_part_of_the_snapshot()
    {
        var rig = new Rig();
        rig.Machine.InjectInterrupt(0x20, 5);
        var snap = rig.Machine.Snapshot();
        rig.Machine.ClearPendingInterrupts();
        rig.Machine.Restore(snap);
        Assert.That(rig.Machine.PendingInterrupts.Single(), Is.EqualTo(new PendingInterrupt(0x20, 5)));
    }

    [Test]
    public void Writes_after_a_snapshot_copy_the_page_and_leave_the_snapshot_intact()
    {
        var memory = new GuestMemory();
        memory.Map(0x1000, 0x1000, PagePermissions.Writable);
        memory.WriteUInt64(0x1008, 11);
        var s1 = memory.Snapshot();
        memory.WriteUInt64(0x1008, 22);
        var s2 = memory.Snapshot();
        memory.WriteUInt64(0x1008, 33);
        memory.Restore(s1);
        Assert.That(memory.ReadUInt64(0x1008), Is.EqualTo(11UL));
        memory.Restore(s2);
        Assert.That(memory.ReadUInt64(0x1008), Is.EqualTo(22UL));
        Assert.That(memory.MappedPages, Is.EqualTo(1));
    }

    [Test]
    public void Restoring_the_same_snapshot_again_and_again_forgets_guest_writes_each_time()
    {
        var rig = new Rig();
        rig.Load(Rig.KernelCode, a =>
        {
            a.mov(rbx, Rig.KernelData);
            a.mov(rax, __qword_ptr[rbx]);
            a.add(rax, 1);
            a.mov(__qword_ptr[rbx], rax);
            a.push(rax);
            a.hlt();
        });
        rig.Cpu.Rip = Rig.KernelCode;
        rig.Machine.Run(1);
        var snap = rig.Machine.Snapshot();
        for (int i = 0; i < 5; i++)
        {
            rig.Machine.Restore(snap);
            Assert.That(rig.Machine.Run().Kind, Is.EqualTo(StopKind.Halted));
            Assert.That(rig[Gpr.Rax], Is.EqualTo(1UL), $"round {i}: the guest read the snapshot's 0 through a fresh translation");
            Assert.That(rig.Memory.ReadUInt64(Rig.KernelData), Is.EqualTo(1UL));
        }

        rig.Machine.Restore(snap);
        Assert.That(rig.Memory.ReadUInt64(Rig.KernelData), Is.EqualTo(0UL));
        Assert.That(rig.Memory.ReadUInt64(rig.KernelStack.Top - 8), Is.EqualTo(0UL));
    }
}
