using EntryModel.Machine.Cpu;
using EntryModel.Machine.Delivery;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tests.Support;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Delivery;

/// <summary>64-bit event delivery: frames, error codes, CR2, stack switches, IST, #DF and triple fault.</summary>
public class ExceptionDeliveryTests
{
    private const ulong Unmapped = 0x700000;
    private const PagePermissions UserCode = PagePermissions.Executable | PagePermissions.User;

    [Test]
    public void User_write_to_a_missing_page_faults_onto_RSP0_with_W_U_error_code()
    {
        var rig = new Rig();
        ulong faulting = Rig.UserCode + 7; // after mov eax,1 (5 bytes) and two nops
        rig.Load(Rig.UserCode, a => { a.mov(eax, 1); a.nop(); a.nop(); a.mov(__qword_ptr[Unmapped + 0x10], rax); }, UserCode);
        rig.EnterUser(Rig.UserCode);
        ulong userRsp = rig[Gpr.Rsp];

        var stop = rig.Machine.Run();

        StopAssert.DeliveredTo(stop, ExceptionVector.PageFault);
        Assert.That(rig.Cpu.Cr2, Is.EqualTo(Unmapped + 0x10));
        Assert.That(rig.Cpu.Cpl, Is.EqualTo(0));
        Assert.That(rig[Gpr.Rsp], Is.EqualTo(rig.KernelStack.Top - 48), "RSP0, aligned, six slots");
        Assert.That(rig.Stack(0), Is.EqualTo((ulong)(PageFaultErrorCode.Write | PageFaultErrorCode.User)));
        Assert.That(rig.Stack(1), Is.EqualTo(faulting), "RIP of the faulting instruction");
        Assert.That(rig.Stack(2), Is.EqualTo((ulong)Selectors.UserCs));
        Assert.That(rig.Stack(3) & (RFlags.IF | RFlags.RF), Is.EqualTo(RFlags.IF | RFlags.RF), "a fault pushes RF set");
        Assert.That(rig.Stack(4), Is.EqualTo(userRsp));
        Assert.That(rig.Stack(5), Is.EqualTo((ulong)Selectors.UserSs));
        Assert.That(rig.Cpu.Rflags & RFlags.IF, Is.EqualTo(0UL), "interrupt gate clears IF");
        Assert.That(rig[Gpr.Rax], Is.EqualTo(1UL), "instructions before the fault completed");
    }

    [Test]
    public void User_read_of_a_kernel_page_is_a_protection_fault()
    {
        var rig = new Rig();
        rig.Load(Rig.UserCode, a => a.mov(rax, __qword_ptr[Rig.KernelData]), UserCode);
        rig.EnterUser(Rig.UserCode);
        var stop = rig.Machine.Run();
        StopAssert.DeliveredTo(stop, ExceptionVector.PageFault);
        Assert.That(rig.Stack(0), Is.EqualTo((ulong)(PageFaultErrorCode.Present | PageFaultErrorCode.User)));
        Assert.That(rig.Cpu.Cr2, Is.EqualTo(Rig.KernelData));
    }

    [Test]
    public void Kernel_write_to_a_read_only_page_faults_on_the_same_stack()
    {
        var rig = new Rig();
        rig.Memory.Protect(Rig.KernelData, 0x1000, PagePermissions.None);
        ulong unaligned = rig.KernelStack.Top - 0x18; // not 16-aligned: delivery aligns it down
        var stop = rig.RunKernel(a => { a.mov(rsp, rig.KernelStack.Top - 0x18); a.mov(__qword_ptr[Rig.KernelData + 8], rsp); });
        StopAssert.DeliveredTo(stop, ExceptionVector.PageFault);
        Assert.That(rig.Stack(0), Is.EqualTo((ulong)(PageFaultErrorCode.Present | PageFaultErrorCode.Write)));
        Assert.That(rig[Gpr.Rsp], Is.EqualTo((unaligned & ~0xFUL) - 48));
        Assert.That(rig.Stack(4), Is.EqualTo(unaligned), "the pushed RSP is the unaligned original");
        Assert.That(rig.Stack(5), Is.EqualTo((ulong)Selectors.KernelSs));
    }

    [Test]
    public void Fetch_from_a_no_execute_page_has_the_I_bit()
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a => { a.mov(rax, Rig.KernelData); a.jmp(rax); });
        StopAssert.DeliveredTo(stop, ExceptionVector.PageFault);
        Assert.That(rig.Stack(0), Is.EqualTo((ulong)(PageFaultErrorCode.Present | PageFaultErrorCode.InstructionFetch)));
        Assert.That(rig.Stack(1), Is.EqualTo(Rig.KernelData));
        Assert.That(rig.Cpu.Cr2, Is.EqualTo(Rig.KernelData));
    }

    [Test]
    public void User_fetch_from_a_missing_page()
    {
        var rig = new Rig();
        rig.EnterUser(Unmapped);
        var stop = rig.Machine.Run();
        StopAssert.DeliveredTo(stop, ExceptionVector.PageFault);
        Assert.That(rig.Stack(0), Is.EqualTo((ulong)(PageFaultErrorCode.User | PageFaultErrorCode.InstructionFetch)));
    }

    [Test]
    public void Instruction_running_into_a_missing_page_faults_at_the_next_page()
    {
        var rig = new Rig();
        ulong start = Rig.KernelCode + 0x1000 - 3; // a 10-byte mov straddling into an unmapped page
        rig.Load(Rig.KernelCode, a => a.nop());
        rig.Memory.Write(start, [0x48, 0xB8, 1]); // mov rax, imm64: 8 more bytes needed
        rig.Cpu.Rip = start;
        var stop = rig.Machine.Run();
        StopAssert.DeliveredTo(stop, ExceptionVector.PageFault);
        Assert.That(rig.Cpu.Cr2, Is.EqualTo(Rig.KernelCode + 0x1000));
        Assert.That(rig.Stack(1), Is.EqualTo(start));
    }

    [Test]
    public void Gate_with_an_IST_index_switches_to_that_stack()
    {
        var rig = new Rig();
        IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, ExceptionVector.Breakpoint, Rig.HandlerFor(3), interruptGate: true, dpl: 3, ist: 1);
        var stop = rig.RunKernel(a => { a.nop(); a.int3(); });
        StopAssert.DeliveredTo(stop, ExceptionVector.Breakpoint);
        Assert.That(rig[Gpr.Rsp], Is.EqualTo(rig.IstStack.Top - 40), "no error code for #BP");
        Assert.That(rig.Stack(0), Is.EqualTo(Rig.KernelCode + 2), "a trap saves the next RIP");
        Assert.That(rig.Stack(3), Is.EqualTo(rig.KernelStack.Top));
    }

    [Test]
    public void Double_fault_when_a_page_fault_cannot_push_its_frame()
    {
        var rig = new Rig();
        IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, ExceptionVector.DoubleFault, Rig.HandlerFor(8), interruptGate: true, ist: 1);
        ulong guard = rig.KernelStack.Low - 0x100; // the guard page below the stack
        var stop = rig.RunKernel(a => { a.mov(rsp, guard + 0x80); a.mov(__qword_ptr[Unmapped], rax); });
        StopAssert.DeliveredTo(stop, ExceptionVector.DoubleFault);
        Assert.That(rig[Gpr.Rsp], Is.EqualTo(rig.IstStack.Top - 48));
        Assert.That(rig.Stack(0), Is.EqualTo(0UL), "#DF error code is 0");
        Assert.That(rig.Stack(4), Is.EqualTo(guard + 0x80), "interrupted RSP");
        Assert.That(rig.Cpu.Cr2, Is.EqualTo(guard + 0x80 - 8), "the last #PF was the push into the guard page");
    }

    [Test]
    public void Triple_fault_is_a_typed_stop()
    {
        var rig = new Rig();
        ulong guard = rig.KernelStack.Low - 0x100;
        var stop = rig.RunKernel(a => { a.mov(rsp, guard + 0x80); a.mov(__qword_ptr[Unmapped], rax); });
        Assert.That(stop.Kind, Is.EqualTo(StopKind.TripleFault), stop.ToString());
        Assert.That(stop.Vector, Is.EqualTo(ExceptionVector.PageFault));
    }

    [Test]
    public void Not_present_gate_raises_NP_with_the_IDT_error_code()
    {
        var rig = new Rig();
        rig.Memory.Write(rig.Cpu.IdtBase + (0x40 * 16), IdtWriter.EncodeGate(Rig.HandlerFor(0x40), true, 0, 0, present: false));
        var stop = rig.RunKernel(a => a.@int(0x40));
        StopAssert.DeliveredTo(stop, ExceptionVector.SegmentNotPresent);
        Assert.That(rig.Stack(0), Is.EqualTo((0x40UL * 8) + 2), "IDT bit set, EXT clear for INT n");
        Assert.That(rig.Stack(1), Is.EqualTo(Rig.KernelCode), "the #NP is reported on the INT instruction");
    }

    [Test]
    public void Int_n_from_user_needs_gate_DPL_3()
    {
        var rig = new Rig();
        rig.Load(Rig.UserCode, a => { a.@int(0x80); a.@int(0x30); }, UserCode);
        rig.EnterUser(Rig.UserCode);
        var stop = rig.Machine.Run();
        StopAssert.DeliveredTo(stop, 0x80);
        Assert.That(rig.Stack(0), Is.EqualTo(Rig.UserCode + 2));

        rig.Cpu.Rip = Rig.UserCode + 2;
        rig.EnterUser(Rig.UserCode + 2);
        stop = rig.Machine.Run();
        StopAssert.DeliveredTo(stop, ExceptionVector.GeneralProtection);
        Assert.That(rig.Stack(0), Is.EqualTo((0x30UL * 8) + 2));
        Assert.That(rig.Stack(1), Is.EqualTo(Rig.UserCode + 2));
    }

    [TestCase("hlt")]
    [TestCase("cli")]
    [TestCase("swapgs")]
    [TestCase("wrmsr")]
    [TestCase("movcr")]
    public void Privileged_instructions_at_cpl3_raise_GP(string which)
    {
        var rig = new Rig();
        rig.Load(Rig.UserCode, a =>
        {
            switch (which)
            {
                case "hlt": a.hlt(); break;
                case "cli": a.cli(); break;
                case "swapgs": a.swapgs(); break;
                case "wrmsr": a.wrmsr(); break;
                default: a.mov(rax, cr2); break;
            }
        }, UserCode);
        rig.EnterUser(Rig.UserCode);
        var stop = rig.Machine.Run();
        StopAssert.DeliveredTo(stop, ExceptionVector.GeneralProtection);
        Assert.That(rig.Stack(0), Is.EqualTo(0UL));
        Assert.That(rig.Stack(1), Is.EqualTo(Rig.UserCode));
    }

    [Test]
    public void Vmcall_at_cpl3_and_unsupported_or_undecodable_bytes_raise_UD()
    {
        var rig = new Rig();
        rig.Load(Rig.UserCode, a => a.vmcall(), UserCode);
        rig.EnterUser(Rig.UserCode);
        StopAssert.DeliveredTo(rig.Machine.Run(), ExceptionVector.InvalidOpcode);

        foreach (byte[] bytes in new[] { new byte[] { 0x0F, 0x01, 0xF9 }, [0x0F, 0x0B], [0xC4] })
        {
            rig = new Rig();
            rig.Load(Rig.KernelCode, a => a.nop());
            rig.Memory.Write(Rig.KernelCode, bytes);
            rig.Cpu.Rip = Rig.KernelCode;
            var stop = rig.Machine.Run();
            StopAssert.DeliveredTo(stop, ExceptionVector.InvalidOpcode);
            Assert.That(rig.Stack(0), Is.EqualTo(Rig.KernelCode));
        }
    }

    [Test]
    public void Without_an_IDT_a_fault_is_an_unhandled_exception_stop()
    {
        var rig = new Rig(withIdt: false);
        var stop = rig.RunKernel(a => { a.nop(); a.ud2(); });
        Assert.That(stop.Kind, Is.EqualTo(StopKind.UnhandledException));
        Assert.That(stop.Vector, Is.EqualTo(ExceptionVector.InvalidOpcode));
        Assert.That(stop.Rip, Is.EqualTo(Rig.KernelCode + 1));
    }

    [Test]
    public void Non_canonical_memory_access_raises_GP_or_SS()
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a => { a.mov(rbx, 0x0000_8000_0000_0000); a.mov(rax, __qword_ptr[rbx]); });
        StopAssert.DeliveredTo(stop, ExceptionVector.GeneralProtection);

        rig = new Rig();
        stop = rig.RunKernel(a => { a.mov(rbp, 0x0000_8000_0000_0000); a.mov(rax, __qword_ptr[rbp]); });
        StopAssert.DeliveredTo(stop, ExceptionVector.StackFault);
    }

    [Test]
    public void Single_step_traps_after_the_instruction_following_popf()
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a =>
        {
            a.pushfq();
            a.or(__qword_ptr[rsp], 0x100);
            a.popfq();
            a.nop();
            a.nop();
        });
        StopAssert.DeliveredTo(stop, ExceptionVector.Debug);
        ulong firstNop = Rig.KernelCode + 1 + 8 + 1; // pushfq, or qword [rsp],0x100 (8 bytes), popfq
        Assert.That(rig.Stack(0), Is.EqualTo(firstNop + 1), "#DB is a trap after the first nop");
        Assert.That(rig.Stack(2) & RFlags.TF, Is.EqualTo(RFlags.TF));
        Assert.That(rig.Cpu.Rflags & RFlags.TF, Is.EqualTo(0UL));
        Assert.That(rig.Cpu.Dr6 & (1UL << 14), Is.Not.EqualTo(0UL), "DR6.BS");
    }
}
