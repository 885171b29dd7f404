using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tests.Support;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Machine.Tests.Execution;

/// <summary>Stops: breakpoints, instruction counts, the budget, HLT, hypercalls.</summary>
public class RunControlTests
{
    private static Rig LoopRig(out ulong loopTop)
    {
        var rig = new Rig();
        ulong top = 0;
        rig.Load(Rig.KernelCode, a =>
        {
            var l = a.CreateLabel();
            a.xor(eax, eax);
            a.Label(ref l);
            a.add(rax, 1);
            a.jmp(l);
        });
        top = Rig.KernelCode + 2;
        loopTop = top;
        rig.Cpu.Rip = Rig.KernelCode;
        return rig;
    }

    [Test]
    public void Runaway_code_hits_the_budget()
    {
        var rig = LoopRig(out _);
        rig.Machine.InstructionBudget = 10_001;
        var stop = rig.Machine.Run();
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Budget));
        Assert.That(stop.Instructions, Is.EqualTo(10_001));
        Assert.That(rig[Gpr.Rax], Is.EqualTo(5_000UL));
    }

    [Test]
    public void Instruction_count_stop_and_resume()
    {
        var rig = LoopRig(out _);
        var stop = rig.Machine.Run(11);
        Assert.That(stop.Kind, Is.EqualTo(StopKind.InstructionCount));
        Assert.That(rig[Gpr.Rax], Is.EqualTo(5UL));
        stop = rig.Machine.Run(2);
        Assert.That(rig[Gpr.Rax], Is.EqualTo(6UL));
        Assert.That(rig.Machine.Retired, Is.EqualTo(13));
    }

    [Test]
    public void Breakpoint_stops_before_the_instruction_and_resumes_past_it()
    {
        var rig = LoopRig(out ulong top);
        rig.Machine.AddBreakpoint(top);
        var stop = rig.Machine.Run();
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Breakpoint));
        Assert.That(stop.Rip, Is.EqualTo(top));
        Assert.That(rig[Gpr.Rax], Is.EqualTo(0UL));
        stop = rig.Machine.Run();
        Assert.That((stop.Kind, rig[Gpr.Rax], stop.Instructions), Is.EqualTo((StopKind.Breakpoint, 1UL, 2L)));
        rig.Machine.RemoveBreakpoint(top);
        stop = rig.Machine.Run(100);
        Assert.That(stop.Kind, Is.EqualTo(StopKind.InstructionCount));
    }

    [Test]
    public void RunUntil_uses_a_temporary_breakpoint()
    {
        var rig = new Rig();
        rig.Load(Rig.KernelCode, a => { a.nop(); a.nop(); a.nop(); a.hlt(); });
        rig.Cpu.Rip = Rig.KernelCode;
        var stop = rig.Machine.RunUntil(Rig.KernelCode + 2);
        Assert.That((stop.Kind, stop.Rip), Is.EqualTo((StopKind.Breakpoint, Rig.KernelCode + 2)));
        Assert.That(rig.Machine.Breakpoints, Is.Empty);
        Assert.That(rig.Machine.Run().Kind, Is.EqualTo(StopKind.Halted));
    }

    [Test]
    public void RunUntil_the_current_rip_stops_at_once()
    {
        var rig = LoopRig(out ulong top);
        var stop = rig.Machine.RunUntil(Rig.KernelCode);
        Assert.That((stop.Kind, stop.Rip, stop.Instructions, rig.Machine.Retired), Is.EqualTo((StopKind.Breakpoint, Rig.KernelCode, 0L, 0L)));

        stop = rig.Machine.RunUntil(top);
        Assert.That((stop.Kind, stop.Rip, stop.Instructions), Is.EqualTo((StopKind.Breakpoint, top, 1L)));
        stop = rig.Machine.RunUntil(top);
        Assert.That((stop.Kind, stop.Rip, stop.Instructions, rig[Gpr.Rax]), Is.EqualTo((StopKind.Breakpoint, top, 0L, 0UL)), "already there: nothing executed");
        Assert.That(rig.Machine.Breakpoints, Is.Empty);

        rig.Machine.AddBreakpoint(top);
        stop = rig.Machine.Run();
        Assert.That((stop.Kind, stop.Instructions, rig[Gpr.Rax]), Is.EqualTo((StopKind.Breakpoint, 2L, 1UL)), "Run still steps over a breakpoint at the current RIP");
    }

    [Test]
    public void Step_executes_one_instruction()
    {
        var rig = new Rig();
        rig.Load(Rig.KernelCode, a => { a.mov(eax, 1); a.mov(ebx, 2); });
        rig.Cpu.Rip = Rig.KernelCode;
        rig.Machine.Step();
        Assert.That((rig[Gpr.Rax], rig[Gpr.Rbx], rig.Cpu.Rip), Is.EqualTo((1UL, 0UL, Rig.KernelCode + 5)));
    }

    [Test]
    public void Vmcall_without_a_handler_stops_past_the_instruction()
    {
        var rig = new Rig();
        var stop = rig.RunKernel(a => { a.mov(eax, 4); a.mov(edi, 77); a.vmcall(); });
        Assert.That(stop.Kind, Is.EqualTo(StopKind.Hypercall));
        Assert.That(stop.Code, Is.EqualTo(HypercallNumber.Log));
        Assert.That(stop.Rip, Is.EqualTo(Rig.KernelCode + 13));
    }

    [Test]
    public void Standard_hypercalls_map_a_page_log_and_power_off()
    {
        var rig = new Rig();
        var host = new StandardHypercalls();
        rig.Machine.Hypercalls = host;
        const ulong fresh = Rig.KernelData + 0x10000;
        var stop = rig.RunKernel(a =>
        {
            a.mov(eax, (int)HypercallNumber.MapPage);
            a.mov(rdi, fresh);
            a.mov(esi, 1);
            a.vmcall();
            a.mov(rbx, fresh);
            a.mov(__qword_ptr[rbx], rbx);
            a.mov(eax, (int)HypercallNumber.Log);
            a.mov(rdi, __qword_ptr[rbx]);
            a.vmcall();
            a.mov(eax, (int)HypercallNumber.PowerOff);
            a.mov(edi, 3);
            a.vmcall();
        });
        Assert.That((stop.Kind, stop.Code), Is.EqualTo((StopKind.PowerOff, 3UL)));
        Assert.That(host.Logged, Is.EqualTo(new[] { fresh }));
        Assert.That(rig.Memory.TryGetPermissions(fresh, out var perms) && perms == PagePermissions.Writable);
    }

    [Test]
    public void Dump_stack_hypercall_calls_the_host_or_stops()
    {
        var rig = new Rig();
        var host = new StandardHypercalls();
        rig.Machine.Hypercalls = host;
        var stop = rig.RunKernel(a => { a.mov(eax, (int)HypercallNumber.DumpStack); a.vmcall(); });
        Assert.That((stop.Kind, stop.Code), Is.EqualTo((StopKind.HostRequest, HypercallNumber.DumpStack)));

        ulong seenRip = 0;
        host.DumpStack = m => seenRip = m.Cpu.Rip;
        rig.Cpu.Rip = Rig.KernelCode;
        Assert.That(rig.Machine.Run().Kind, Is.EqualTo(StopKind.Halted));
        Assert.That(seenRip, Is.EqualTo(Rig.KernelCode + 8));
    }

    [Test]
    public void Code_that_faults_forever_without_retiring_stops()
    {
        var rig = new Rig();
        // The #PF gate points at a no-execute page: every delivery faults again on the fetch.
        EntryModel.Machine.Delivery.IdtWriter.WriteGate(rig.Machine, rig.Cpu.IdtBase, 14, Rig.KernelData, interruptGate: true, ist: 1);
        var stop = rig.RunKernel(a => a.mov(__qword_ptr[0x700000], rax));
        Assert.That(stop.Kind, Is.EqualTo(StopKind.FaultLoop), stop.ToString());
    }
}
