using EntryModel.Machine.Cpu;
using EntryModel.Machine.Execution;
using EntryModel.Machine.Memory;
using EntryModel.Machine.Tasks;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace EntryModel.Benchmarks;

/// <summary>
/// Entry-and-handler style code for the interpreter benchmarks: an endless loop that builds a
/// pt_regs-like frame (pushes), stores to memory, calls a handler that calls a helper, does ALU
/// work and pops the frame again, like an exception entry stub around a C handler.
/// </summary>
public static class InterpreterBenchmarkWorkload
{
    public const ulong Text = 0xffffffff81000000;
    public const ulong Data = 0xffffffff82000000;

    public static X86Machine Create()
    {
        var machine = new X86Machine { InstructionBudget = long.MaxValue };
        var stacks = new StackAllocator(machine.Memory, machine.Stacks);
        var stack = stacks.AllocateKernel("task 0", StackKind.Task, 4);
        machine.Memory.Map(Data, 0x1000, PagePermissions.Writable);
        machine.Cpu.GsBase = Data;

        var a = new Assembler(64);
        var loop = a.CreateLabel();
        var handler = a.CreateLabel();
        var helper = a.CreateLabel();
        a.Label(ref loop);
        a.push(rbp);
        a.mov(rbp, rsp);
        foreach (var r in new[] { rdi, rsi, rdx, rcx, rax, r8, r9, r10, r11, rbx, r12, r13, r14, r15 })
        {
            a.push(r);
        }

        a.mov(__qword_ptr.gs[0x18], rsp);
        a.mov(rdi, rsp);
        a.xor(esi, esi);
        a.call(handler);
        a.mov(rsp, __qword_ptr.gs[0x18]);
        foreach (var r in new[] { r15, r14, r13, r12, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi })
        {
            a.pop(r);
        }

        a.pop(rbp);
        a.add(rcx, 1);
        a.cmp(rcx, 1000);
        a.jne(loop);
        a.xor(ecx, ecx);
        a.jmp(loop);

        a.Label(ref handler);
        a.push(rbp);
        a.mov(rbp, rsp);
        a.mov(rax, __qword_ptr[rdi + 0x20]);
        a.add(rax, 1);
        a.and(rax, 0xff);
        a.mov(__qword_ptr[rdi + 0x20], rax);
        a.lea(rdx, __qword_ptr[rdi + rax * 8]);
        a.test(rdx, rdx);
        a.je(helper);
        a.call(helper);
        a.sub(rax, 1);
        a.pop(rbp);
        a.ret();

        a.Label(ref helper);
        a.mov(rsi, __qword_ptr[Data + 0x100]);
        a.inc(rsi);
        a.mov(__qword_ptr[Data + 0x100], rsi);
        a.cmp(rsi, rax);
        a.setb(r8b);
        a.ret();

        var writer = new ListWriter();
        a.Assemble(writer, Text);
        machine.Memory.Map(Text, 0x1000, PagePermissions.Executable);
        machine.Memory.Write(Text, writer.Bytes.ToArray());
        machine.Cpu.Rip = Text;
        machine.Cpu[Gpr.Rsp] = stack.Top;
        return machine;
    }

    private sealed class ListWriter : CodeWriter
    {
        public List<byte> Bytes { get; } = [];

        public override void WriteByte(byte value) => Bytes.Add(value);
    }
}
